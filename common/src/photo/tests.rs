//! Reading photos: data URIs as people write them, every refusal with its reason, the size and
//! dimension bounds, unprintable JPEG frames, and no panic on cut or flipped bytes.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use proptest::prelude::*;

use super::*;

const PNG: &[u8] = include_bytes!("../../../tests/fixtures/photo/avatar.png");
const JPEG: &[u8] = include_bytes!("../../../tests/fixtures/photo/avatar.jpg");

fn uri(media: &str, bytes: &[u8]) -> String {
    format!("data:{media};base64,{}", STANDARD.encode(bytes))
}

fn photo(v: &str) -> Photo {
    match read(v) {
        Ok(Read::Photo(p)) => p,
        other => panic!("{other:?}"),
    }
}

fn refused(v: &str) -> String {
    match read(v) {
        Err(e) => e,
        other => panic!("accepted: {other:?}"),
    }
}

/// A PNG chunk with its length and CRC.
fn chunk(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut h = crc32fast::Hasher::new();
    h.update(kind);
    h.update(body);
    let mut out = (body.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(body);
    out.extend_from_slice(&h.finalize().to_be_bytes());
    out
}

/// The fixture PNG with its IHDR replaced and `extra` chunks before IEND.
fn png_with(ihdr: Option<[u8; 13]>, extra: &[Vec<u8>]) -> Vec<u8> {
    let mut out = PNG[..8].to_vec();
    let mut at = 8;
    while at < PNG.len() {
        let len = u32::from_be_bytes(PNG[at..at + 4].try_into().unwrap()) as usize;
        let kind: [u8; 4] = PNG[at + 4..at + 8].try_into().unwrap();
        let whole = &PNG[at..at + 12 + len];
        match (&kind, ihdr) {
            (b"IHDR", Some(h)) => out.extend(chunk(b"IHDR", &h)),
            (b"IEND", _) => {
                for e in extra {
                    out.extend_from_slice(e);
                }
                out.extend_from_slice(whole);
            }
            _ => out.extend_from_slice(whole),
        }
        at += 12 + len;
    }
    out
}

#[test]
fn png_and_jpeg_data_uris_are_read_with_their_size() {
    let p = photo(&uri("image/png", PNG));
    assert_eq!((p.format, p.width, p.height), (ImageFormat::Png, 119, 142));
    assert_eq!(p.bytes(), PNG);
    let j = photo(&uri("image/jpeg", JPEG));
    assert_eq!((j.format, j.width, j.height), (ImageFormat::Jpeg, 119, 142));
    assert_eq!(j.bytes(), JPEG);
    assert_eq!(ImageFormat::Jpeg.file_name(), "photo.jpg");
}

#[test]
fn data_uris_are_read_as_people_write_them() {
    let b64 = STANDARD.encode(JPEG);
    for v in [
        format!("DATA:IMAGE/JPEG;BASE64,{b64}"),
        format!("data:image/jpg;base64,{b64}"),
        format!("  data:image/jpeg;name=me.jpg;base64,{}  ", b64),
        format!("data:image/jpeg;base64,{}", b64.trim_end_matches('=')),
        format!(
            "data:image/jpeg;base64,{}",
            b64.as_bytes()
                .chunks(76)
                .map(|c| std::str::from_utf8(c).unwrap())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    ] {
        assert_eq!(photo(&v).bytes(), JPEG, "{}", &v[..40]);
    }
    // The bytes decide the format, not the label.
    assert_eq!(photo(&uri("image/png", JPEG)).format, ImageFormat::Jpeg);
}

#[test]
fn image_addresses_and_file_names_are_never_fetched_or_read() {
    for v in [
        "https://example.org/me.jpg",
        "HTTP://example.org/me.png",
        "//cdn.example.org/me.png",
        "me.jpg",
        "file:///etc/passwd",
        "/home/user/photo.png",
    ] {
        assert!(matches!(read(v), Ok(Read::Elsewhere)), "{v}");
    }
}

#[test]
fn anything_but_a_sound_png_or_jpeg_is_refused_with_a_reason() {
    let cases: Vec<(String, &str)> = vec![
        ("data:image/png;base64".into(), "no ','"),
        (uri("image/gif", b"GIF89a"), "image/gif"),
        (uri("image/svg+xml", b"<svg/>"), "image/svg+xml"),
        (
            format!("data:image/png,{}", STANDARD.encode(PNG)),
            "must be base64",
        ),
        ("data:image/png;base64,!!!!".into(), "base64 is not valid"),
        (
            uri("image/png", b"GIF89a......"),
            "neither a PNG nor a JPEG",
        ),
        (uri("image/png", &PNG[..PNG.len() - 20]), "sound PNG"),
        (uri("image/jpeg", &JPEG[..JPEG.len() / 2]), "end marker"),
        (uri("image/png", &[0u8; 64]), "neither"),
    ];
    for (v, want) in cases {
        let e = refused(&v);
        assert!(e.contains(want), "{}: {e}", &v[..v.len().min(40)]);
    }
    let mut damaged = PNG.to_vec();
    let mid = damaged.len() / 2;
    damaged[mid] ^= 0x55;
    assert!(refused(&uri("image/png", &damaged)).contains("CRC"));
}

#[test]
fn size_and_dimensions_are_bounded() {
    let padding = chunk(b"tEXt", &vec![b'a'; MAX_BYTES]);
    let e = refused(&uri("image/png", &png_with(None, &[padding])));
    assert!(e.contains("at most 512 KB"), "{e}");
    let mut ihdr = [0u8; 13];
    ihdr[..4].copy_from_slice(&5000u32.to_be_bytes());
    ihdr[4..8].copy_from_slice(&100u32.to_be_bytes());
    ihdr[8] = 8;
    ihdr[9] = 2;
    let e = refused(&uri("image/png", &png_with(Some(ihdr), &[])));
    assert!(e.contains("5000 × 100"), "{e}");
    ihdr[9] = 7;
    let e = refused(&uri("image/png", &png_with(Some(ihdr), &[])));
    assert!(e.contains("impossible colour type"), "{e}");
    // Just under the limit is taken.
    let room = MAX_BYTES - PNG.len() - 12;
    let fits = png_with(None, &[chunk(b"tEXt", &vec![b'a'; room])]);
    assert_eq!(fits.len(), MAX_BYTES);
    assert_eq!(photo(&uri("image/png", &fits)).width, 119);
}

#[test]
fn jpeg_frames_printers_cannot_embed_are_refused() {
    let sof = JPEG
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("a baseline frame");
    let mut arithmetic = JPEG.to_vec();
    arithmetic[sof + 1] = 0xC9;
    assert!(refused(&uri("image/jpeg", &arithmetic)).contains("arithmetic"));
    let mut progressive = JPEG.to_vec();
    progressive[sof + 1] = 0xC2;
    assert_eq!(photo(&uri("image/jpeg", &progressive)).height, 142);
}

#[test]
fn shapes_read_leniently() {
    assert_eq!(PhotoShape::parse(" Circle "), Some(PhotoShape::Circle));
    assert_eq!(PhotoShape::parse("round"), Some(PhotoShape::Circle));
    assert_eq!(PhotoShape::parse("square"), Some(PhotoShape::Square));
    assert_eq!(PhotoShape::parse("hexagon"), None);
}

proptest! {
    #[test]
    fn reading_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400), png in any::<bool>()) {
        let mut b = if png { PNG[..8].to_vec() } else { vec![0xFF, 0xD8, 0xFF] };
        b.extend(bytes);
        let _ = read(&uri("image/png", &b));
    }

    #[test]
    fn cut_or_flipped_fixtures_never_panic(cut in 0usize..3000, flip in 0usize..3000, jpeg in any::<bool>()) {
        let src = if jpeg { JPEG } else { PNG };
        let mut b = src[..cut.min(src.len())].to_vec();
        if let Some(x) = b.get_mut(flip) {
            *x ^= 0xA5;
        }
        let _ = read(&uri("image/jpeg", &b));
    }
}
