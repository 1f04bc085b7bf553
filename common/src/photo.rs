//! Photos: `personalInfo.photo` (or JSON Resume's `basics.image`) as a PNG or JPEG `data:` URI.
//!
//! A photo is checked here, on the edge and the origin alike, before anything prints it: the
//! media type, the base64, the real header (a PNG's signature, chunk CRCs, `IHDR`, `IDAT` and
//! `IEND`; a JPEG's markers up to its frame header and its end marker), the size and the pixel
//! dimensions. A photo that passes is stored in the normalized document as its base64 and
//! facts (so it is part of the cache key); the origin writes its bytes into the job folder as
//! `photo.png` or `photo.jpg` beside the LaTeX, which names that file and nothing else. Images
//! are never fetched: an `http(s)` address is left out with a warning.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The largest photo, in bytes once decoded.
pub const MAX_BYTES: usize = 512 * 1024;
/// The largest width or height, in pixels.
pub const MAX_SIDE: u32 = 4000;

/// The two formats pdfTeX, XeTeX and Word all embed as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormat {
    /// PNG.
    Png,
    /// JPEG (baseline or progressive).
    Jpeg,
}

impl ImageFormat {
    /// The file the origin writes it to in the job folder (the only name the LaTeX uses).
    pub fn file_name(self) -> &'static str {
        match self {
            ImageFormat::Png => "photo.png",
            ImageFormat::Jpeg => "photo.jpg",
        }
    }

    /// The media type.
    pub fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
        }
    }
}

/// A checked photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Photo {
    /// Its format, as its bytes say (whatever the URI claimed).
    pub format: ImageFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The image, base64 (standard alphabet, padded).
    pub data: String,
}

/// The shape the templates crop a photo to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PhotoShape {
    /// A square (the default: the passport-style photo European CVs carry).
    #[default]
    Square,
    /// A circle.
    Circle,
}

impl PhotoShape {
    /// Every shape, the default first.
    pub const ALL: [PhotoShape; 2] = [PhotoShape::Square, PhotoShape::Circle];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PhotoShape::Square => "square",
            PhotoShape::Circle => "circle",
        }
    }

    /// Reads a shape ignoring case and spaces (`round` is a circle).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "square" | "rect" | "rectangle" => Some(PhotoShape::Square),
            "circle" | "round" | "circular" => Some(PhotoShape::Circle),
            _ => None,
        }
    }
}

/// What a photo field holds.
#[derive(Debug)]
pub enum Read {
    /// A photo to print.
    Photo(Photo),
    /// An image somewhere else (an `http(s)` address, a file name): never fetched or read,
    /// left out with a warning.
    Elsewhere,
}

/// Base64 as people paste it: padded or not.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

impl Photo {
    /// The photo as a `data:` URI again (how the edge hands it to the origin).
    pub fn data_uri(&self) -> String {
        format!("data:{};base64,{}", self.format.media_type(), self.data)
    }

    /// The image's bytes (checked when the photo was read, so decoding cannot fail).
    pub fn bytes(&self) -> Vec<u8> {
        BASE64.decode(self.data.as_bytes()).unwrap_or_default()
    }
}

/// Reads a photo field: a `data:image/png|jpeg;base64,…` URI, or where an image is (an
/// address, a file name). The error says what is wrong with a `data:` URI in words a user can
/// act on.
pub fn read(value: &str) -> Result<Read, String> {
    let v = value.trim();
    let lower = v.get(..5).unwrap_or(v).to_ascii_lowercase();
    let Some(rest) = v.get(5..).filter(|_| lower == "data:") else {
        return Ok(Read::Elsewhere);
    };
    let Some((header, payload)) = rest.split_once(',') else {
        return Err("the photo's data: URI has no ',' before its data".to_owned());
    };
    let mut params = header.split(';').map(|p| p.trim().to_ascii_lowercase());
    let media = params.next().unwrap_or_default();
    if !matches!(media.as_str(), "image/png" | "image/jpeg" | "image/jpg") {
        return Err(format!(
            "the photo is '{}'; only image/png and image/jpeg are printed",
            if media.is_empty() {
                "text/plain"
            } else {
                &media
            }
        ));
    }
    if !params.any(|p| p == "base64") {
        return Err("the photo's data: URI must be base64 (data:image/png;base64,…)".to_owned());
    }
    // Four base64 characters carry three bytes; refuse before decoding what is too big.
    let payload: String = payload
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    if payload.len() / 4 * 3 > MAX_BYTES + 3 {
        return Err(too_big(payload.len() / 4 * 3));
    }
    let bytes = BASE64
        .decode(payload.as_bytes())
        .map_err(|e| format!("the photo's base64 is not valid: {e}"))?;
    if bytes.len() > MAX_BYTES {
        return Err(too_big(bytes.len()));
    }
    let (format, width, height) = check(&bytes)?;
    if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
        return Err(format!(
            "the photo is {width} × {height} pixels; at most {MAX_SIDE} × {MAX_SIDE} are printed"
        ));
    }
    Ok(Read::Photo(Photo {
        format,
        width,
        height,
        data: base64::engine::general_purpose::STANDARD.encode(&bytes),
    }))
}

fn too_big(n: usize) -> String {
    format!(
        "the photo is {} KB; at most {} KB are printed",
        n.div_ceil(1024),
        MAX_BYTES / 1024
    )
}

/// The format and pixel size of a PNG or JPEG whose structure is sound.
fn check(b: &[u8]) -> Result<(ImageFormat, u32, u32), String> {
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        png(b).map(|(w, h)| (ImageFormat::Png, w, h))
    } else if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        jpeg(b).map(|(w, h)| (ImageFormat::Jpeg, w, h))
    } else {
        Err("the photo's data is neither a PNG nor a JPEG image".to_owned())
    }
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

/// Walks a PNG's chunks: each CRC right, `IHDR` first and sound, `IDAT`, `IEND` last.
fn png(b: &[u8]) -> Result<(u32, u32), String> {
    let bad = |why: &str| Err(format!("the photo is not a sound PNG: {why}"));
    let mut at = 8;
    let mut size = None;
    let mut data = false;
    loop {
        let Some(head) = b.get(at..at + 8) else {
            return bad("it ends before its IEND chunk");
        };
        let len = be32(head) as usize;
        let kind = &head[4..8];
        let Some(body) = b.get(at + 8..(at + 8).saturating_add(len)) else {
            return bad("a chunk runs past the end of the data");
        };
        let Some(crc) = b.get(at + 8 + len..at + 12 + len) else {
            return bad("a chunk has no CRC");
        };
        let mut h = crc32fast::Hasher::new();
        h.update(kind);
        h.update(body);
        if h.finalize() != be32(crc) {
            return bad("a chunk's CRC is wrong (the data is damaged)");
        }
        match kind {
            b"IHDR" if size.is_none() && len == 13 => {
                let (w, hgt) = (be32(&body[0..4]), be32(&body[4..8]));
                let (depth, colour) = (body[8], body[9]);
                let depth_ok = match colour {
                    0 => matches!(depth, 1 | 2 | 4 | 8 | 16),
                    3 => matches!(depth, 1 | 2 | 4 | 8),
                    2 | 4 | 6 => matches!(depth, 8 | 16),
                    _ => false,
                };
                if !depth_ok || body[10] != 0 || body[11] != 0 || body[12] > 1 {
                    return bad("its header names an impossible colour type, depth or method");
                }
                size = Some((w, hgt));
            }
            _ if size.is_none() => return bad("it does not start with its IHDR chunk"),
            b"IDAT" => data = true,
            b"IEND" => {
                return match (size, data) {
                    (Some(s), true) => Ok(s),
                    _ => bad("it has no image data"),
                };
            }
            _ => {}
        }
        at += 12 + len;
    }
}

/// Walks a JPEG's markers to its frame header and checks it ends with an end marker. Only
/// the frames pdfTeX and XeTeX embed are taken: baseline, extended and progressive Huffman.
fn jpeg(b: &[u8]) -> Result<(u32, u32), String> {
    let bad = |why: &str| Err(format!("the photo is not a sound JPEG: {why}"));
    if !b.ends_with(&[0xFF, 0xD9]) && !b.windows(2).rev().take(64).any(|w| w == [0xFF, 0xD9]) {
        return bad("it has no end marker (the data is cut short)");
    }
    let mut at = 2;
    loop {
        let Some(&[ff, mut marker]) = b.get(at..at + 2) else {
            return bad("it ends before its frame header");
        };
        if ff != 0xFF {
            return bad("a segment does not start with a marker");
        }
        // Fill bytes may repeat 0xFF before a marker.
        while marker == 0xFF {
            at += 1;
            match b.get(at + 1) {
                Some(&m) => marker = m,
                None => return bad("it ends inside a marker"),
            }
        }
        if matches!(marker, 0x01 | 0xD0..=0xD7) {
            at += 2;
            continue;
        }
        let Some(len) = b
            .get(at + 2..at + 4)
            .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
        else {
            return bad("a segment has no length");
        };
        if len < 2 || at + 2 + len > b.len() {
            return bad("a segment runs past the end of the data");
        }
        match marker {
            0xC0..=0xC2 => {
                let seg = &b[at + 4..at + 2 + len];
                if seg.len() < 6 {
                    return bad("its frame header is short");
                }
                let h = u32::from(u16::from_be_bytes([seg[1], seg[2]]));
                let w = u32::from(u16::from_be_bytes([seg[3], seg[4]]));
                if !matches!(seg[5], 1 | 3 | 4) {
                    return bad("it has an unusual number of colour components");
                }
                return Ok((w, h));
            }
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                return Err(
                    "the photo is a lossless, hierarchical or arithmetic-coded JPEG, which PDF \
                     printers do not embed; save it as an ordinary (baseline) JPEG or a PNG"
                        .to_owned(),
                );
            }
            0xDA => return bad("its scan comes before its frame header"),
            _ => at += 2 + len,
        }
    }
}

#[cfg(test)]
mod tests;
