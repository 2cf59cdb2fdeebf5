//! Turns an upload into the files the library stores: the image decoded
//! (after its size is checked from the header alone), turned upright, and
//! re-encoded without any of its metadata (EXIF, GPS, XMP, comments), at
//! full size in its own format and at each configured width in its own
//! format and in WebP. Plain CPU work: run it off the async threads
//! ([`super::service`]).

use std::io::Cursor;

use image::codecs::gif::GifEncoder;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageReader};

use super::format::ImageFormat;

/// What to make of an upload.
#[derive(Debug, Clone)]
pub struct Recipe {
    /// Widths of the resized copies, ascending.
    pub widths: Vec<u32>,
    /// Largest accepted width × height.
    pub max_pixels: u64,
    /// JPEG quality, 1–100.
    pub jpeg_quality: u8,
    /// WebP quality, 1–100.
    pub webp_quality: u8,
}

/// One encoded file.
#[derive(Debug)]
pub struct EncodedFile {
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
    /// Its format.
    pub format: ImageFormat,
    /// Whether it is one of the sizes offered in `srcset` (the full-size
    /// file is only when it is no wider than the largest configured width).
    pub in_srcset: bool,
    /// The file.
    pub bytes: Vec<u8>,
}

/// The files of one upload; the first is the full-size image.
#[derive(Debug)]
pub struct Processed {
    /// The upload's format (that of the full-size file).
    pub format: ImageFormat,
    /// Width of the upright image.
    pub width: u32,
    /// Height of the upright image.
    pub height: u32,
    /// The full-size file first, then the resized copies.
    pub files: Vec<EncodedFile>,
}

/// Why an upload is not an image the library takes.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImageProblem {
    /// Not JPEG, PNG, WebP or GIF by its bytes (415).
    #[error("not a JPEG, PNG, WebP or GIF image")]
    Unsupported,
    /// More pixels than allowed, by its header (422).
    #[error("{width} × {height} pixels is more than the {max} allowed")]
    TooManyPixels {
        /// Declared width.
        width: u32,
        /// Declared height.
        height: u32,
        /// The limit.
        max: u64,
    },
    /// Wider or taller than [`MAX_SIDE`] (422).
    #[error("{width} × {height} pixels: neither side may exceed 65535")]
    TooLong {
        /// Declared width.
        width: u32,
        /// Declared height.
        height: u32,
    },
    /// The image cannot be decoded: truncated or corrupt (422).
    #[error("the image cannot be read: {0}")]
    Undecodable(String),
    /// Encoding failed (500: a bug or an exhausted machine).
    #[error("the image could not be encoded: {0}")]
    Encode(String),
}

/// The longest side accepted (JPEG's own limit; file names have room for it).
pub const MAX_SIDE: u32 = 65_535;

/// The longest side libwebp encodes: larger copies have no WebP file.
const WEBP_MAX_SIDE: u32 = 16_383;

/// Decodes, checks and re-encodes `bytes` by `recipe`.
pub fn process(bytes: &[u8], recipe: &Recipe) -> Result<Processed, ImageProblem> {
    let format = ImageFormat::sniff(bytes).ok_or(ImageProblem::Unsupported)?;
    let image = decode_upright(bytes, format, recipe.max_pixels)?;
    let (width, height) = (image.width(), image.height());
    let sizes = sizes(width, &recipe.widths);
    let mut files = vec![encode(&image, format, recipe, sizes.contains(&width))?];
    let mut smaller = image;
    for size in sizes.into_iter().rev() {
        if size < smaller.width() {
            smaller = shrink(&smaller, size, scaled_height(width, height, size));
        }
        if size < width {
            files.push(encode(&smaller, format, recipe, true)?);
        }
        let webp_fits = smaller.width() <= WEBP_MAX_SIDE && smaller.height() <= WEBP_MAX_SIDE;
        if (format != ImageFormat::Webp || size < width) && webp_fits {
            files.push(encode(&smaller, ImageFormat::Webp, recipe, true)?);
        }
    }
    Ok(Processed {
        format,
        width,
        height,
        files,
    })
}

/// The widths made of an image `width` wide: each configured width below
/// it, and its own width when that is within the configured range (never
/// upscaled), ascending.
pub fn sizes(width: u32, widths: &[u32]) -> Vec<u32> {
    let mut sizes: Vec<u32> = widths.iter().copied().filter(|w| *w < width).collect();
    if widths.last().is_none_or(|largest| width <= *largest) {
        sizes.push(width);
    }
    sizes
}

/// `image` resized down to `width` × `height`. By half or more, pixels are
/// averaged over their area (fast, and with no floating-point copy of a
/// large image: a 12-megapixel photo's would take 77 MB); by less, a
/// Catmull-Rom filter keeps the result sharp.
fn shrink(image: &DynamicImage, width: u32, height: u32) -> DynamicImage {
    if image.width() >= 2 * width {
        image.thumbnail_exact(width, height)
    } else {
        image.resize_exact(width, height, FilterType::CatmullRom)
    }
}

/// The height of a copy `size` wide, in proportion (at least 1).
fn scaled_height(width: u32, height: u32, size: u32) -> u32 {
    let h = (u64::from(height) * u64::from(size) + u64::from(width) / 2) / u64::from(width);
    u32::try_from(h).unwrap_or(u32::MAX).max(1)
}

/// Checks the declared size before decoding, decodes within limits, and
/// applies the EXIF orientation.
fn decode_upright(
    bytes: &[u8],
    format: ImageFormat,
    max_pixels: u64,
) -> Result<DynamicImage, ImageProblem> {
    let undecodable = |e: image::ImageError| ImageProblem::Undecodable(e.to_string());
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format.codec())
        .into_dimensions()
        .map_err(undecodable)?;
    if width == 0 || height == 0 {
        return Err(ImageProblem::Undecodable("it has no pixels".to_owned()));
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(ImageProblem::TooLong { width, height });
    }
    if u64::from(width) * u64::from(height) > max_pixels {
        return Err(ImageProblem::TooManyPixels {
            width,
            height,
            max: max_pixels,
        });
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.codec());
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(width);
    limits.max_image_height = Some(height);
    // 16-bit RGBA at the pixel limit, and never less than the crate's default.
    limits.max_alloc = Some((max_pixels * 8).max(512 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(undecodable)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(undecodable)?;
    image.apply_orientation(orientation);
    // Eight bits per channel, alpha only where there is one.
    Ok(if image.color().has_alpha() {
        DynamicImage::ImageRgba8(image.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    })
}

/// Encodes `image` as `format`; nothing but pixels is written.
fn encode(
    image: &DynamicImage,
    format: ImageFormat,
    recipe: &Recipe,
    in_srcset: bool,
) -> Result<EncodedFile, ImageProblem> {
    let failed = |e: image::ImageError| ImageProblem::Encode(e.to_string());
    let mut bytes = Vec::new();
    match format {
        ImageFormat::Jpeg => {
            let encoder = JpegEncoder::new_with_quality(&mut bytes, recipe.jpeg_quality);
            match image {
                // The usual case (a JPEG upload): no copy of the pixels.
                DynamicImage::ImageRgb8(rgb) => rgb.write_with_encoder(encoder),
                other => other.to_rgb8().write_with_encoder(encoder),
            }
            .map_err(failed)?;
        }
        ImageFormat::Png => {
            let encoder = PngEncoder::new_with_quality(
                &mut bytes,
                CompressionType::Default,
                PngFilter::Adaptive,
            );
            image.write_with_encoder(encoder).map_err(failed)?;
        }
        ImageFormat::Gif => {
            let mut encoder = GifEncoder::new_with_speed(&mut bytes, 10);
            encoder
                .encode_frame(image::Frame::new(image.to_rgba8()))
                .map_err(failed)?;
        }
        ImageFormat::Webp => {
            let encoder = match image {
                DynamicImage::ImageRgba8(rgba) => {
                    webp::Encoder::from_rgba(rgba.as_raw(), image.width(), image.height())
                }
                DynamicImage::ImageRgb8(rgb) => {
                    webp::Encoder::from_rgb(rgb.as_raw(), image.width(), image.height())
                }
                _ => return Err(ImageProblem::Encode("unexpected pixel layout".to_owned())),
            };
            let memory = encoder
                .encode_simple(false, f32::from(recipe.webp_quality))
                .map_err(|e| ImageProblem::Encode(format!("{e:?}")))?;
            bytes = memory.to_vec();
        }
    }
    Ok(EncodedFile {
        width: image.width(),
        height: image.height(),
        format,
        in_srcset,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recipe() -> Recipe {
        Recipe {
            widths: vec![320, 640, 1024, 1600],
            max_pixels: 50_000_000,
            jpeg_quality: 80,
            webp_quality: 75,
        }
    }

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn sizes_are_never_upscaled() {
        assert_eq!(
            sizes(4000, &[320, 640, 1024, 1600]),
            vec![320, 640, 1024, 1600]
        );
        assert_eq!(sizes(900, &[320, 640, 1024, 1600]), vec![320, 640, 900]);
        assert_eq!(sizes(200, &[320, 640]), vec![200]);
        assert_eq!(sizes(640, &[320, 640]), vec![320, 640]);
    }

    #[test]
    fn an_image_becomes_its_own_format_and_webp_at_each_width() {
        let processed = process(&png(700, 350), &recipe()).unwrap();
        assert_eq!((processed.width, processed.height), (700, 350));
        let made: Vec<(u32, u32, ImageFormat)> = processed
            .files
            .iter()
            .map(|f| (f.width, f.height, f.format))
            .collect();
        assert_eq!(
            made,
            vec![
                (700, 350, ImageFormat::Png),
                (700, 350, ImageFormat::Webp),
                (640, 320, ImageFormat::Png),
                (640, 320, ImageFormat::Webp),
                (320, 160, ImageFormat::Png),
                (320, 160, ImageFormat::Webp),
            ]
        );
        for file in &processed.files {
            assert_eq!(ImageFormat::sniff(&file.bytes), Some(file.format));
        }
    }

    #[test]
    fn the_pixel_limit_is_checked_before_decoding() {
        let mut small = recipe();
        small.max_pixels = 100;
        assert_eq!(
            process(&png(20, 10), &small).unwrap_err(),
            ImageProblem::TooManyPixels {
                width: 20,
                height: 10,
                max: 100
            }
        );
        assert_eq!(
            process(b"<svg/>", &recipe()).unwrap_err(),
            ImageProblem::Unsupported
        );
        let truncated = &png(50, 50)[..60];
        assert!(matches!(
            process(truncated, &recipe()),
            Err(ImageProblem::Undecodable(_))
        ));
    }
}
