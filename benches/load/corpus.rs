//! A news-like corpus, generated deterministically: Markdown bodies of
//! 3,000–8,000 characters (paragraphs, `>` quotes, links, emphasis) whose
//! words follow a Zipf-like law over a vocabulary of 100,000 words, so some
//! words are in nearly every article and others in a handful. Every derived
//! value (HTML, word count, reading time, slug) comes from the service's own
//! functions, as the create path computes them.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDateTime, TimeDelta};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// English function words take the most frequent ranks; pseudo-words follow.
const FUNCTION_WORDS: [&str; 30] = [
    "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "as", "was", "at",
    "by", "it", "from", "said", "he", "she", "they", "be", "are", "has", "have", "not", "but",
    "or", "an", "will",
];
const VOCABULARY: usize = 100_000;
const ZIPF_EXPONENT: f64 = 1.1;
pub const AUTHORS: usize = 50;
pub const TAGS: usize = 30;

pub struct Person {
    pub slug: String,
    pub name: String,
    pub bio: String,
}

pub struct Tag {
    pub slug: String,
    pub name: String,
}

/// One article, with everything the service derives on create.
pub struct Doc {
    pub slug: String,
    pub title: String,
    pub body: String,
    pub body_html: String,
    pub word_count: i32,
    pub reading_time_minutes: i32,
    /// The teaser a read shows when no excerpt is stored (the baseline
    /// keeps it precomputed).
    pub teaser: String,
    /// Index into `Corpus::authors`.
    pub author: usize,
    /// Indexes into `Corpus::tags`, in display order.
    pub tags: Vec<usize>,
    pub created_at: NaiveDateTime,
    pub published_at: NaiveDateTime,
}

pub struct Corpus {
    pub authors: Vec<Person>,
    pub tags: Vec<Tag>,
    /// Oldest first.
    pub docs: Vec<Doc>,
    /// A word in about five articles (and the number it is in).
    pub rare_word: (String, usize),
    /// A word in about 70% of the articles (and the number it is in).
    pub common_word: (String, usize),
    /// The slug of a tag of middling popularity (and its article count).
    pub middle_tag: (String, usize),
}

/// The word of `rank` (0 = most frequent). Pseudo-words are consonant-vowel
/// syllables, two for the 4,900 most frequent and three for the rest, in a
/// scrambled order so frequent words do not share their first letters.
fn word(rank: usize) -> String {
    const C: &[u8] = b"bdfgklmnprstvz";
    const V: &[u8] = b"aeiou";
    if rank < FUNCTION_WORDS.len() {
        return FUNCTION_WORDS[rank].to_owned();
    }
    let k = rank - FUNCTION_WORDS.len();
    let syllables = C.len() * V.len();
    let (count, space, k) = if k < syllables * syllables {
        (2, syllables * syllables, k)
    } else {
        (3, syllables.pow(3), k - syllables * syllables)
    };
    // A bijection on 0..space (7919 is prime and divides neither space).
    let mut n = (k * 7919) % space;
    let mut out = String::with_capacity(2 * count);
    for _ in 0..count {
        let s = n % syllables;
        n /= syllables;
        out.push(C[s / V.len()] as char);
        out.push(V[s % V.len()] as char);
    }
    out
}

struct Sampler {
    cumulative: Vec<f64>,
    words: Vec<String>,
}

impl Sampler {
    fn new() -> Self {
        let mut total = 0.0;
        let cumulative = (1..=VOCABULARY)
            .map(|k| {
                total += (k as f64).powf(-ZIPF_EXPONENT);
                total
            })
            .collect::<Vec<_>>();
        let cumulative = cumulative.into_iter().map(|c| c / total).collect();
        Self {
            cumulative,
            words: (0..VOCABULARY).map(word).collect(),
        }
    }

    fn rank(&self, rng: &mut StdRng) -> usize {
        let u: f64 = rng.random();
        self.cumulative
            .partition_point(|c| *c < u)
            .min(VOCABULARY - 1)
    }

    fn word(&self, rng: &mut StdRng) -> &str {
        &self.words[self.rank(rng)]
    }

    /// A word of content (no function word), for titles and names.
    fn content_word(&self, rng: &mut StdRng) -> &str {
        loop {
            let r = self.rank(rng);
            if r >= FUNCTION_WORDS.len() {
                return &self.words[r];
            }
        }
    }
}

fn capitalized(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn sentence(s: &Sampler, rng: &mut StdRng) -> String {
    let n = rng.random_range(6..=20);
    let mut out = String::new();
    for i in 0..n {
        let w = s.word(rng);
        let w = if i == 0 { capitalized(w) } else { w.to_owned() };
        if i > 0 {
            out.push(' ');
        }
        match rng.random_range(0..100) {
            0..=4 if i > 0 => out.push_str(&format!("*{w}*")),
            5..=6 if i > 0 => out.push_str(&format!("**{w}**")),
            7..=8 if i > 0 && i + 2 < n => {
                let w2 = s.content_word(rng).to_owned();
                out.push_str(&format!("[{w} {w2}](https://example.com/news/{w}-{w2})"));
            }
            _ => out.push_str(&w),
        }
    }
    out.push('.');
    out
}

fn body(s: &Sampler, rng: &mut StdRng) -> String {
    let target = rng.random_range(3000..8000);
    let mut out = String::new();
    loop {
        let sentences = rng.random_range(2..=6);
        let mut para = (0..sentences)
            .map(|_| sentence(s, rng))
            .collect::<Vec<_>>()
            .join(" ");
        if !out.is_empty() && rng.random_range(0..100) < 12 {
            para = format!("> {para}");
        }
        if out.len() + para.len() + 2 > 8000 && out.len() >= 3000 {
            break;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&para);
        if out.len() >= target {
            break;
        }
    }
    out
}

fn title(s: &Sampler, rng: &mut StdRng) -> String {
    let n = rng.random_range(4..=9);
    let words: Vec<String> = (0..n).map(|_| s.content_word(rng).to_owned()).collect();
    capitalized(&words.join(" "))
}

/// Lower-cased words of a text split at anything not a letter or digit:
/// what full-text search matches on.
fn words_of(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Generates `n` published articles, newest at `now` minus a minute.
pub fn generate(n: usize, now: NaiveDateTime) -> Corpus {
    let sampler = Sampler::new();
    let mut rng = StdRng::seed_from_u64(14);
    let mut unique = HashSet::new();
    let mut person = |rng: &mut StdRng| loop {
        let name = format!(
            "{} {}",
            capitalized(sampler.content_word(rng)),
            capitalized(sampler.content_word(rng))
        );
        if unique.insert(name.clone()) {
            return name;
        }
    };
    let authors: Vec<Person> = (0..AUTHORS)
        .map(|_| {
            let name = person(&mut rng);
            Person {
                slug: cms::text::slug::slugify(&name),
                bio: sentence(&sampler, &mut rng),
                name,
            }
        })
        .collect();
    let tags: Vec<Tag> = (0..TAGS)
        .map(|_| {
            let name = person(&mut rng);
            Tag {
                slug: cms::text::slug::slugify(&name),
                name,
            }
        })
        .collect();
    // Tag popularity falls off like the words (tag 0 the most common).
    let tag_weights: Vec<f64> = (1..=TAGS).map(|k| (k as f64).powf(-0.8)).collect();
    let tag_total: f64 = tag_weights.iter().sum();

    let mut taken: HashMap<String, u32> = HashMap::new();
    let start = now - TimeDelta::minutes(n as i64 + 1);
    let raw: Vec<Raw> = (0..n)
        .map(|i| {
            let title = title(&sampler, &mut rng);
            let base = cms::text::slug::slugify(&title);
            let count = taken.entry(base.clone()).or_insert(0);
            *count += 1;
            let slug = if *count == 1 {
                base
            } else {
                cms::text::slug::with_suffix(&base, *count)
            };
            let body = body(&sampler, &mut rng);
            let mut doc_tags = Vec::new();
            for _ in 0..rng.random_range(1..=4) {
                let mut u = rng.random::<f64>() * tag_total;
                let mut t = 0;
                while t + 1 < TAGS && u > tag_weights[t] {
                    u -= tag_weights[t];
                    t += 1;
                }
                if !doc_tags.contains(&t) {
                    doc_tags.push(t);
                }
            }
            // Distinct and increasing: minute i plus under a minute.
            let published_at = start
                + TimeDelta::minutes(i as i64)
                + TimeDelta::microseconds(rng.random_range(0..59_000_000));
            let created_at = published_at - TimeDelta::minutes(rng.random_range(5..600));
            let author = rng.random_range(0..AUTHORS);
            (
                slug,
                title,
                body,
                author,
                doc_tags,
                created_at,
                published_at,
            )
        })
        .collect();

    let docs = render_all(raw);
    let (rare_word, common_word) = pick_words(&docs);
    let mut per_tag = vec![0usize; TAGS];
    for d in &docs {
        for t in &d.tags {
            per_tag[*t] += 1;
        }
    }
    let middle = TAGS / 3;
    Corpus {
        middle_tag: (tags[middle].slug.clone(), per_tag[middle]),
        authors,
        tags,
        docs,
        rare_word,
        common_word,
    }
}

type Raw = (
    String,
    String,
    String,
    usize,
    Vec<usize>,
    NaiveDateTime,
    NaiveDateTime,
);

/// Renders the bodies with the service's create-path function, on every core.
fn render_all(raw: Vec<Raw>) -> Vec<Doc> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = raw.len().div_ceil(threads).max(1);
    let mut raw = raw;
    let mut parts = Vec::new();
    while !raw.is_empty() {
        let rest = raw.split_off(chunk.min(raw.len()));
        parts.push(std::mem::replace(&mut raw, rest));
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| {
                scope.spawn(move || {
                    part.into_iter()
                        .map(
                            |(slug, title, body, author, tags, created_at, published_at)| {
                                let derived = cms::articles::content::derive(&body);
                                let teaser = derived.body_lead;
                                Doc {
                                    slug,
                                    title,
                                    body_html: derived.body_html,
                                    word_count: derived.word_count,
                                    reading_time_minutes: derived.reading_time_minutes,
                                    teaser,
                                    body,
                                    author,
                                    tags,
                                    created_at,
                                    published_at,
                                }
                            },
                        )
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("render thread"))
            .collect()
    })
}

/// A rare word (in about five articles, the prefix of no other word) and a
/// common one (in about 70%), each at least three letters. Search matches
/// words by prefix, so the count given is of articles with a word starting
/// with the chosen one.
fn pick_words(docs: &[Doc]) -> ((String, usize), (String, usize)) {
    let mut df: HashMap<String, usize> = HashMap::new();
    for d in docs {
        let words: HashSet<String> = words_of(&d.title).chain(words_of(&d.body)).collect();
        for w in words {
            *df.entry(w).or_insert(0) += 1;
        }
    }
    let mut sorted: Vec<&String> = df.keys().collect();
    sorted.sort();
    let is_prefix_of_another = |w: &str| {
        let i = sorted.partition_point(|s| s.as_str() <= w);
        sorted.get(i).is_some_and(|next| next.starts_with(w))
    };
    let pick = |target: usize, prefix_ok: bool| {
        df.iter()
            .filter(|(w, n)| w.len() >= 3 && **n >= 2 && (prefix_ok || !is_prefix_of_another(w)))
            .min_by_key(|(w, n)| (n.abs_diff(target), (*w).clone()))
            .map(|(w, _)| w.clone())
            .expect("a word to search for")
    };
    let by_prefix = |w: String| {
        let n = docs
            .iter()
            .filter(|d| {
                words_of(&d.title)
                    .chain(words_of(&d.body))
                    .any(|x| x.starts_with(&w))
            })
            .count();
        (w, n)
    };
    (
        by_prefix(pick(5, false)),
        by_prefix(pick(docs.len() * 7 / 10, true)),
    )
}
