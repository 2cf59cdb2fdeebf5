//! Demo content for `cms seed-demo`: fictional, written for this project.
//!
//! Every place, person, company and event below is invented. The setting is
//! the imaginary "Meridian Gulf" coast (Port Arvel, Kestrin, Halmar Bay,
//! Qarsa) so that nothing here can be mistaken for real reporting.

/// A demo author.
pub struct DemoAuthor {
    pub name: &'static str,
    pub slug: &'static str,
    pub bio: &'static str,
    pub website: Option<&'static str>,
}

/// A demo tag.
pub struct DemoTag {
    pub name: &'static str,
    pub slug: &'static str,
    pub description: &'static str,
}

/// A demo article; `state` is one of "published", "draft", "in_review", "scheduled".
pub struct DemoArticle {
    pub title: &'static str,
    /// Author slug (see [`AUTHORS`]).
    pub author: &'static str,
    /// Tag slugs (see [`TAGS`]).
    pub tags: &'static [&'static str],
    /// Markdown body.
    pub body: &'static str,
    pub excerpt: Option<&'static str>,
    pub state: &'static str,
    /// Publication age in days; negative = future (scheduled).
    pub days_ago: i64,
}

/// A demo reader comment; `reply_to` is the index (in COMMENTS) of the parent comment, on the same article.
pub struct DemoComment {
    /// Index into [`ARTICLES`].
    pub article: usize,
    pub reply_to: Option<usize>,
    pub author_name: &'static str,
    pub author_email: &'static str,
    pub author_url: Option<&'static str>,
    pub body: &'static str,
    /// "approved" | "pending" | "spam"
    pub status: &'static str,
}

pub const AUTHORS: &[DemoAuthor] = &[
    DemoAuthor {
        name: "Léa Moreau",
        slug: "lea-moreau",
        bio: "Energy and climate correspondent based in Port Arvel. Léa has covered power grids, fuel markets and the politics of summer heat along the Meridian coast for nine years.",
        website: Some("https://example.org/lea-moreau"),
    },
    DemoAuthor {
        name: "Omar Haddad",
        slug: "omar-haddad",
        bio: "Diplomatic editor. Omar follows the talks, treaties and quiet handshakes between the coastal states, usually from the back row of a press gallery.",
        website: None,
    },
    DemoAuthor {
        name: "Priya Natarajan",
        slug: "priya-natarajan",
        bio: "Technology reporter writing about the engineers, start-ups and control rooms that keep the region running.",
        website: Some("https://example.com/priya"),
    },
    DemoAuthor {
        name: "Gulf Wire",
        slug: "gulf-wire",
        bio: "Regional newswire providing short, fast reports on shipping, markets and public announcements across the Meridian Gulf.",
        website: None,
    },
];

pub const TAGS: &[DemoTag] = &[
    DemoTag {
        name: "Energy",
        slug: "energy",
        description: "Power generation, fuel supply and the grids that tie the region together.",
    },
    DemoTag {
        name: "Diplomacy",
        slug: "diplomacy",
        description:
            "Talks, agreements and disputes between the governments of the coastal states.",
    },
    DemoTag {
        name: "Shipping",
        slug: "shipping",
        description: "Ports, sea lanes, freight and the people who move cargo across the Gulf.",
    },
    DemoTag {
        name: "Climate",
        slug: "climate",
        description: "Heat, water, weather and how the region is adapting to a warming coast.",
    },
    DemoTag {
        name: "Markets",
        slug: "markets",
        description: "Stocks, currencies, prices and the business stories behind the numbers.",
    },
    DemoTag {
        name: "Technology",
        slug: "technology",
        description:
            "New tools, start-ups and infrastructure projects changing how the region works.",
    },
];

pub const ARTICLES: &[DemoArticle] = &[
    // 0
    DemoArticle {
        title: "Port Arvel grid operator brings second solar field online ahead of summer peak",
        author: "lea-moreau",
        tags: &["energy", "climate"],
        body: "The Port Arvel Power Authority switched on its second desert solar field on Monday, adding enough daytime capacity to cover roughly a fifth of the city’s demand during the hottest afternoons.\n\n\
The 240-hectare site at Wadi Senna took just under two years to build. Engineers say the panels track the sun on a single axis, squeezing extra output from the long evening hours when air-conditioning loads are highest.\n\n\
“Last August we came within a few megawatts of rolling cuts,” said operations director Hana Selim. “This field means we go into the summer with a cushion instead of crossed fingers.”\n\n\
The authority still relies on gas turbines after sunset, and a battery project meant to bridge that gap is running months late. For now, officials are asking households to keep thermostats at 24 degrees between six and nine in the evening… a request that has been made every summer for a decade.",
        excerpt: None,
        state: "published",
        days_ago: 1,
    },
    // 1
    DemoArticle {
        title: "Halmar Strait shipping lanes reopen after three-day fog closure",
        author: "gulf-wire",
        tags: &["shipping"],
        body: "Harbour pilots resumed escorting vessels through the Halmar Strait on Thursday morning after dense sea fog forced a rare three-day suspension of traffic.\n\n\
The Halmar Bay port authority said 63 ships had been held at anchor on either side of the channel, including container carriers, two fuel tankers and a cruise vessel whose passengers were taken ashore by tender.\n\n\
Visibility fell below 200 metres on Monday evening and stayed there until a change in wind direction cleared the strait overnight. Officials expect the backlog to take until the weekend to clear, with priority given to perishable cargo and vessels carrying fuel for the regional grid.\n\n\
Forecasters said the fog was linked to unusually cool water welling up near the coast and warned it could return before the end of the month.",
        excerpt: None,
        state: "published",
        days_ago: 3,
    },
    // 2
    DemoArticle {
        title: "Five coastal states agree on a joint maritime patrol framework",
        author: "omar-haddad",
        tags: &["diplomacy", "shipping"],
        body: "Ministers from five Meridian Gulf states signed a framework on Sunday that will, for the first time, let their coast guards share radar data and run joint patrols in the open water between their territorial zones.\n\n\
The agreement, reached after two days of talks in Qarsa, stops well short of a unified command. Each navy keeps full control of its own ships; what changes is that a suspicious vessel spotted by one state can now be handed off to another without a week of letters between capitals.\n\n\
“It is not a treaty, and nobody is pretending it is,” one delegate said. “But it is the first time we have agreed on the same map.”\n\n\
Smaller fishing communities along the coast gave the deal a cautious welcome — many have complained for years about unlicensed trawlers slipping between jurisdictions at night. A technical committee is due to report within ninety days on how the shared radar picture will work in practice.",
        excerpt: None,
        state: "published",
        days_ago: 5,
    },
    // 3
    DemoArticle {
        title: "Kestrin start-up pilots a desalination plant that runs on waste heat",
        author: "priya-natarajan",
        tags: &["technology", "energy", "climate"],
        body: "A small Kestrin company called Saltline has begun producing drinking water from seawater using heat that a neighbouring cement works would otherwise vent into the air.\n\n\
The pilot unit produces about 400 cubic metres a day, enough for a few thousand residents. That is tiny next to the city’s main reverse-osmosis plant, but the company says its running costs are a fraction of the usual figure because it buys almost no electricity.\n\n\
## How the pilot works\n\n\
- Hot exhaust from the cement kiln warms a closed loop of oil.\n\
- The oil heats seawater in a stack of low-pressure chambers, where it boils at well below 100 degrees.\n\
- The vapour condenses on cooler plates and is collected as fresh water; the brine is diluted before it returns to the sea.\n\n\
“Every heavy industry on this coast is sitting on a water plant it doesn’t know about,” said co-founder Daniel Ruiz. Regulators will review six months of water-quality data before deciding whether the pilot can supply the municipal network.",
        excerpt: None,
        state: "published",
        days_ago: 8,
    },
    // 4
    DemoArticle {
        title: "Regional bourse closes the week higher as energy shares rally",
        author: "gulf-wire",
        tags: &["markets", "energy"],
        body: "The Meridian Exchange index ended the week 2.4 per cent higher on Thursday, its best five-day run since the spring, lifted by a broad rally in power and fuel companies.\n\n\
Port Arvel Power rose 6 per cent after reporting lower maintenance costs at its gas plants, while shares in offshore drilling contractor Tamrin Deepwater climbed for a fourth straight session on hopes of new contracts.\n\n\
Banks and property developers were mixed. Analysts pointed to rising borrowing costs as a drag on builders, several of which have large projects waiting on permits.\n\n\
Trading volumes were about a third above their monthly average. The exchange will close early on Sunday for a public holiday.",
        excerpt: Some("Power and fuel companies led the Meridian Exchange to its strongest week since the spring."),
        state: "published",
        days_ago: 12,
    },
    // 5
    DemoArticle {
        title: "What a hotter summer means for the region’s power bills",
        author: "lea-moreau",
        tags: &["energy", "climate", "markets"],
        body: "Forecasters expect this summer to be one of the hottest on record along the Meridian coast, and households are already asking the obvious question: how much more will it cost to stay cool?\n\n\
The short answer is that it depends where you live. Port Arvel and Kestrin cap residential tariffs, so most of the extra cost will land on the utilities and, eventually, on public budgets. Halmar Bay passes fuel costs through every quarter, which means bills there could rise by a tenth or more by September.\n\n\
Cooling accounts for well over half of household electricity use in July and August. Energy auditors say the cheapest savings are unglamorous — shading west-facing windows, cleaning air-conditioner filters and sealing gaps around doors.\n\n\
The regional energy council publishes a monthly outlook with tariff changes for each city; the latest edition is available on its [summer outlook page](https://example.org/energy-council/summer-outlook). Officials say a revised forecast will follow in mid-July.",
        excerpt: None,
        state: "published",
        days_ago: 17,
    },
    // 6
    DemoArticle {
        title: "Halmar Bay port authority unveils automated customs lane for container trucks",
        author: "gulf-wire",
        tags: &["shipping", "technology"],
        body: "Container trucks leaving Halmar Bay can now pass through customs without stopping, the port authority said on Tuesday, after it opened a lane fitted with cameras, weighbridges and radiation scanners.\n\n\
Drivers whose cargo has been cleared in advance receive a code on their phones. Sensors read the truck’s plates and seals as it rolls through at walking pace; anything that does not match the paperwork is waved into a manual inspection bay.\n\n\
The authority said the lane could cut average exit times from about forty minutes to under ten. Hauliers welcomed the change but noted that only about a quarter of shipments are currently pre-cleared.\n\n\
A second automated lane is planned for the port’s eastern gate next year.",
        excerpt: None,
        state: "published",
        days_ago: 23,
    },
    // 7
    DemoArticle {
        title: "Envoys meet in Qarsa for quiet talks on shared fishing grounds",
        author: "omar-haddad",
        tags: &["diplomacy", "climate"],
        body: "Senior officials from Kestrin and Halmar Bay met behind closed doors in Qarsa this week to discuss the shrinking fishing grounds that straddle their maritime border.\n\n\
Catches of kingfish and grouper have fallen sharply over the past decade, and marine scientists on both sides blame warmer water as much as over-fishing. Each government has, until now, preferred to blame the other’s fleet.\n\n\
People familiar with the talks said the envoys discussed a shared seasonal closure and a joint survey of fish stocks. “Nobody wants to be the first to tie up their boats,” one official said, “so the only way it happens is together.”\n\n\
No statement was issued after the meeting. A second round is expected before the autumn season opens, though neither side has confirmed a date.",
        excerpt: Some("Kestrin and Halmar Bay discuss a joint seasonal closure as warmer water and falling catches strain a long-running dispute."),
        state: "published",
        days_ago: 30,
    },
    // 8
    DemoArticle {
        title: "Inside the control room that keeps the Meridian grid in balance",
        author: "priya-natarajan",
        tags: &["energy", "technology"],
        body: "On the fourth floor of an unremarkable office block in Kestrin, a dozen engineers watch a wall of screens that shows, second by second, how much electricity the region is using and where it is coming from.\n\n\
The Meridian Grid Coordination Centre links the networks of four cities. When a turbine trips in Halmar Bay, it is this room that asks Port Arvel to ramp up a plant within minutes — before frequencies drift and lights begin to flicker.\n\n\
Shift supervisor Rania Aziz says the job has changed completely since solar farms arrived. “Ten years ago the hard part was the evening peak. Now it’s the moment clouds roll over the desert at noon and we lose hundreds of megawatts in a few minutes.”\n\n\
The centre is testing forecasting software that reads satellite images to predict cloud cover an hour ahead. Engineers say early results are promising, but nobody here is ready to trust it without a human watching the screens.",
        excerpt: None,
        state: "published",
        days_ago: 38,
    },
    // 9
    DemoArticle {
        title: "Opinion: The coastal corridor needs a plan, not another summit",
        author: "omar-haddad",
        tags: &["diplomacy"],
        body: "Every two years the coastal states gather for a summit on the proposed rail and road corridor linking Port Arvel to Halmar Bay. Every two years they agree that it is a good idea. And every two years, nothing is built.\n\n\
The obstacles are not mysterious. Nobody has agreed who pays for the bridges, which gauge the railway should use, or how customs will work at the borders. These are hard questions, but they are not unanswerable ones.\n\n\
What is missing is a body with the authority to answer them — a small joint secretariat with a budget, a deadline and the power to say no.\n\n\
Until that exists, the next summit will produce another communiqué, another photograph, and another two years of waiting…",
        excerpt: None,
        state: "draft",
        days_ago: 0,
    },
    // 10
    DemoArticle {
        title: "Offshore wind tender draws bids from seven consortia",
        author: "lea-moreau",
        tags: &["energy", "markets"],
        body: "Seven groups have submitted bids to build the Meridian coast’s first offshore wind farm, the regional energy council said on Wednesday, a stronger response than many in the industry had expected.\n\n\
The site lies about 30 kilometres off Port Arvel, where steady afternoon sea breezes could complement solar output as it fades in the evening. The council wants a first phase of at least 500 megawatts connected before the end of the decade.\n\n\
Bidders include two local utilities, several overseas developers and a consortium led by a shipping company that hopes to convert part of its fleet into installation vessels.\n\n\
The council has not disclosed prices. A shortlist is due in eight weeks, followed by a public consultation on the cable route to shore.",
        excerpt: None,
        state: "in_review",
        days_ago: 0,
    },
    // 11
    DemoArticle {
        title: "Preview: Port Arvel to host regional logistics forum next week",
        author: "gulf-wire",
        tags: &["shipping", "markets"],
        body: "Port Arvel will host the annual Meridian Logistics Forum from Monday, bringing together port operators, freight forwarders and customs officials from across the Gulf.\n\n\
Organisers expect around 1,200 delegates. The programme focuses on faster customs clearance, the cost of insuring cargo through the Halmar Strait and plans for shared digital shipping records between the five coastal states.\n\n\
A session on the long-delayed coastal corridor is scheduled for the second day, with transport ministers from three states confirmed as speakers.\n\n\
The forum’s exhibition hall will be open to the public on the final afternoon.",
        excerpt: None,
        state: "scheduled",
        days_ago: -3,
    },
];

pub const COMMENTS: &[DemoComment] = &[
    // 0
    DemoComment {
        article: 0,
        reply_to: None,
        author_name: "Samir Khoury",
        author_email: "samir.khoury@example.com",
        author_url: None,
        body: "Good news, but the battery delay is the real story here. Solar does nothing for us at nine in the evening when the whole street has the air-conditioning on.",
        status: "approved",
    },
    // 1
    DemoComment {
        article: 0,
        reply_to: Some(0),
        author_name: "Inès Benali",
        author_email: "ines.benali@example.org",
        author_url: Some("https://example.org/ines"),
        body: "Agreed. The authority promised that battery project two summers ago, so I would like to see a firm date this time.",
        status: "approved",
    },
    // 2
    DemoComment {
        article: 3,
        reply_to: None,
        author_name: "Tomás Ferreira",
        author_email: "tomas@example.com",
        author_url: None,
        body: "Clever idea. I would love to know what happens to the water supply when the cement works shuts down for maintenance.",
        status: "approved",
    },
    // 3
    DemoComment {
        article: 5,
        reply_to: None,
        author_name: "Noura Al-Sayed",
        author_email: "noura.alsayed@example.com",
        author_url: None,
        body: "Living in Halmar Bay, the quarterly pass-through is brutal. Last September our bill nearly doubled.",
        status: "approved",
    },
    // 4
    DemoComment {
        article: 5,
        reply_to: Some(3),
        author_name: "Léa Moreau",
        author_email: "lea.moreau@example.org",
        author_url: Some("https://example.org/lea-moreau"),
        body: "Thanks for sharing that, Noura. We are collecting readers' bills for a follow-up piece, so feel free to get in touch through the newsroom.",
        status: "approved",
    },
    // 5
    DemoComment {
        article: 2,
        reply_to: None,
        author_name: "Yusuf Demir",
        author_email: "yusuf.demir@example.com",
        author_url: None,
        body: "Sharing radar data is a sensible first step. The fishermen in my village have been asking for this for years.",
        status: "approved",
    },
    // 6
    DemoComment {
        article: 8,
        reply_to: None,
        author_name: "Grace Okafor",
        author_email: "grace.okafor@example.org",
        author_url: None,
        body: "Fascinating piece. Is the forecasting software built locally or bought from an overseas vendor?",
        status: "pending",
    },
    // 7
    DemoComment {
        article: 4,
        reply_to: None,
        author_name: "BEST DEALS 4U",
        author_email: "promo@cheap-deals.example.com",
        author_url: Some("https://cheap-deals.example.com"),
        body: "Make money FAST trading energy stocks!!! Visit https://cheap-deals.example.com/win https://cheap-deals.example.com/free https://cheap-deals.example.com/bonus https://cheap-deals.example.com/now for guaranteed profits!!!",
        status: "spam",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn is_slug(s: &str) -> bool {
        !s.is_empty()
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--")
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }

    fn count_state(state: &str) -> usize {
        ARTICLES.iter().filter(|a| a.state == state).count()
    }

    #[test]
    fn counts() {
        assert_eq!(AUTHORS.len(), 4);
        assert_eq!(TAGS.len(), 6);
        assert_eq!(ARTICLES.len(), 12);
        assert_eq!(COMMENTS.len(), 8);
    }

    #[test]
    fn authors_are_well_formed() {
        let mut slugs = HashSet::new();
        for a in AUTHORS {
            assert!(is_slug(a.slug), "bad author slug {:?}", a.slug);
            assert!(slugs.insert(a.slug), "duplicate author slug {:?}", a.slug);
            assert!(!a.name.trim().is_empty());
            assert!(!a.bio.trim().is_empty());
        }
        assert!(
            AUTHORS.iter().any(|a| !a.name.is_ascii()),
            "at least one author name should contain non-ASCII letters"
        );
        let wire = AUTHORS
            .iter()
            .find(|a| a.slug == "gulf-wire")
            .expect("gulf-wire author");
        assert_eq!(wire.name, "Gulf Wire");
        assert!(wire.website.is_none());
        assert!(wire.bio.starts_with("Regional newswire"));
    }

    #[test]
    fn tags_are_well_formed() {
        let mut slugs = HashSet::new();
        for t in TAGS {
            assert!(is_slug(t.slug), "bad tag slug {:?}", t.slug);
            assert!(slugs.insert(t.slug), "duplicate tag slug {:?}", t.slug);
            assert!(!t.name.trim().is_empty());
            assert!(t.description.ends_with('.'));
        }
        assert!(slugs.contains("energy"));
    }

    #[test]
    fn article_states_and_dates() {
        assert_eq!(count_state("published"), 9);
        assert_eq!(count_state("draft"), 1);
        assert_eq!(count_state("in_review"), 1);
        assert_eq!(count_state("scheduled"), 1);

        let mut days = HashSet::new();
        for a in ARTICLES.iter().filter(|a| a.state == "published") {
            assert!((1..=40).contains(&a.days_ago), "{:?}", a.title);
            assert!(days.insert(a.days_ago), "duplicate days_ago {}", a.days_ago);
        }
        let scheduled = ARTICLES.iter().find(|a| a.state == "scheduled").unwrap();
        assert_eq!(scheduled.days_ago, -3);
    }

    #[test]
    fn article_titles_and_references() {
        let authors: HashSet<&str> = AUTHORS.iter().map(|a| a.slug).collect();
        let tags: HashSet<&str> = TAGS.iter().map(|t| t.slug).collect();
        let mut titles = HashSet::new();
        for a in ARTICLES {
            assert!(!a.title.trim().is_empty());
            assert!(
                a.title.chars().count() <= 120,
                "title too long: {:?}",
                a.title
            );
            assert!(titles.insert(a.title), "duplicate title {:?}", a.title);
            assert!(authors.contains(a.author), "unknown author {:?}", a.author);
            assert!((1..=3).contains(&a.tags.len()), "{:?}", a.title);
            let mut seen = HashSet::new();
            for t in a.tags {
                assert!(tags.contains(t), "unknown tag {:?} on {:?}", t, a.title);
                assert!(seen.insert(*t), "duplicate tag {:?} on {:?}", t, a.title);
            }
        }
        assert_eq!(ARTICLES.iter().filter(|a| a.excerpt.is_some()).count(), 2);
        assert!(ARTICLES.iter().filter(|a| a.author == "gulf-wire").count() >= 3);
        let energy = ARTICLES.iter().filter(|a| a.tags.contains(&"energy"));
        assert!(energy.clone().count() >= 4);
        assert!(
            energy.filter(|a| a.state == "published").count() >= 4,
            "related articles need several published energy pieces"
        );
    }

    #[test]
    fn article_bodies() {
        for a in ARTICLES {
            let words = a.body.split_whitespace().count();
            assert!(
                (80..=250).contains(&words),
                "{:?} has {} words",
                a.title,
                words
            );
            let prose = a
                .body
                .split("\n\n")
                .filter(|b| !b.starts_with("## ") && !b.starts_with("- "))
                .count();
            assert!(
                (3..=5).contains(&prose),
                "{:?} has {} paragraphs",
                a.title,
                prose
            );
            assert!(!a.body.contains('<'), "no HTML in {:?}", a.title);
        }
        let all: String = ARTICLES.iter().map(|a| a.body).collect();
        for needle in ["“", "”", "’", "…", "—"] {
            assert!(all.contains(needle), "no article uses {:?}", needle);
        }
        let with_heading_and_list = ARTICLES.iter().filter(|a| {
            a.body.lines().any(|l| l.starts_with("## "))
                && a.body.lines().any(|l| l.starts_with("- "))
        });
        assert_eq!(with_heading_and_list.count(), 1);
        assert!(ARTICLES
            .iter()
            .any(|a| a.body.contains("](https://example.org/")));
    }

    #[test]
    fn comments_are_consistent() {
        for (i, c) in COMMENTS.iter().enumerate() {
            let article = ARTICLES.get(c.article).expect("comment article index");
            assert_eq!(
                article.state, "published",
                "comment {} on unpublished article",
                i
            );
            if let Some(parent) = c.reply_to {
                assert!(parent < i, "comment {} replies to a later comment", i);
                assert_eq!(
                    COMMENTS[parent].article, c.article,
                    "comment {} crosses articles",
                    i
                );
            }
            let domain = c.author_email.rsplit('@').next().unwrap();
            assert!(c.author_email.contains('@'));
            assert!(
                domain == "example.com"
                    || domain == "example.org"
                    || domain.ends_with(".example.com")
                    || domain.ends_with(".example.org"),
                "bad email domain {:?}",
                c.author_email
            );
            assert!(
                !c.body.contains('<') && !c.body.contains('>'),
                "HTML in comment {}",
                i
            );
            assert!(!c.body.trim().is_empty());
            assert!(!c.author_name.trim().is_empty());
        }
        assert!(COMMENTS.iter().any(|c| c.reply_to.is_some()));
        let status = |s: &str| COMMENTS.iter().filter(|c| c.status == s).count();
        assert_eq!(status("approved"), 6);
        assert_eq!(status("pending"), 1);
        assert_eq!(status("spam"), 1);
        let spam = COMMENTS.iter().find(|c| c.status == "spam").unwrap();
        assert!(
            spam.body.matches("https://").count() >= 3,
            "spam should be link-stuffed"
        );
    }
}
