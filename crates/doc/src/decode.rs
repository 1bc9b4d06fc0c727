//! Turns the bytes of a text-based file (`.txt`, `.md`, `.html`, `.json`) into text,
//! recording the encoding used, and refuses bytes that are not text at all.
//!
//! The rules, in order: a UTF-8 byte-order mark means UTF-8 (the mark is dropped); a
//! UTF-16 mark means UTF-16 of that byte order, decoded strictly; otherwise valid UTF-8
//! is UTF-8 and anything else is read as Windows-1252, the usual encoding of older
//! Western files. Line endings are normalised to `\n` (CRLF and lone CR alike) so every
//! later rule and every stored text sees one kind of line break; nothing else changes.

use crate::{Encoding, ReadError};

/// Above this share of control characters the "text" is taken for binary junk. Real
/// text has almost none besides tabs and line breaks; a few stray ones (form feeds,
/// escape codes) must not make a statement unreadable.
const MAX_CONTROL_RATIO: f64 = 0.1;

/// The text of `bytes` and the encoding it was decoded from.
pub(crate) fn decode(bytes: &[u8]) -> Result<(String, Encoding), ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        // A mark followed by bytes that are not UTF-8 after all is reported as the
        // Windows-1252 it was read as, not as the UTF-8 it claimed to be.
        match decode_utf8_or_1252(rest)? {
            (text, Encoding::Utf8) => (text, Encoding::Utf8Bom),
            other => other,
        }
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (decode_utf16(rest, u16::from_le_bytes)?, Encoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (decode_utf16(rest, u16::from_be_bytes)?, Encoding::Utf16Be)
    } else {
        decode_utf8_or_1252(bytes)?
    };
    if looks_binary(&text) {
        return Err(ReadError::Binary);
    }
    Ok((normalise_newlines(&text), encoding))
}

/// UTF-8 when the bytes are valid UTF-8, Windows-1252 otherwise. NUL bytes never occur
/// in text outside UTF-16, so they mark the file as binary before any decoding.
fn decode_utf8_or_1252(bytes: &[u8]) -> Result<(String, Encoding), ReadError> {
    if bytes.contains(&0) {
        return Err(ReadError::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((text.to_string(), Encoding::Utf8)),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok((text.into_owned(), Encoding::Windows1252))
        }
    }
}

/// Strict UTF-16: an odd number of bytes or an unpaired surrogate is an error naming
/// where it is, because a lossy decode would silently change the statement.
fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, ReadError> {
    if bytes.len() % 2 != 0 {
        return Err(ReadError::Utf16(format!(
            "odd number of bytes ({}) after the byte-order mark",
            bytes.len()
        )));
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut text = String::with_capacity(bytes.len() / 2);
    for (index, decoded) in char::decode_utf16(units).enumerate() {
        match decoded {
            Ok(c) => text.push(c),
            Err(error) => {
                return Err(ReadError::Utf16(format!(
                    "unpaired surrogate 0x{:04X} near byte {}",
                    error.unpaired_surrogate(),
                    2 + index * 2
                )))
            }
        }
    }
    Ok(text)
}

/// Whether decoded text is really binary: any NUL, or too many control characters.
fn looks_binary(text: &str) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars() {
        total += 1;
        if c == '\0' {
            return true;
        }
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}') {
            control += 1;
        }
    }
    total > 0 && control as f64 / total as f64 > MAX_CONTROL_RATIO
}

/// CRLF and lone CR become LF.
pub(crate) fn normalise_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &[u8], expected: Result<(&str, Encoding), ReadError>) {
        let decoded = decode(input);
        let decoded = decoded.as_ref().map(|(text, encoding)| (text.as_str(), *encoding));
        assert_eq!(decoded, expected.as_ref().map(|(text, encoding)| (*text, *encoding)), "{input:?}");
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut bytes = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
        }
        bytes
    }

    #[test]
    fn encodings() {
        check("Président Aliyev".as_bytes(), Ok(("Président Aliyev", Encoding::Utf8)));
        check(b"\xEF\xBB\xBFBaku \xC3\xA9t\xC3\xA9", Ok(("Baku été", Encoding::Utf8Bom)));
        check(&utf16("Ölkə — “x”", false), Ok(("Ölkə — “x”", Encoding::Utf16Le)));
        check(&utf16("Ölkə — “x”", true), Ok(("Ölkə — “x”", Encoding::Utf16Be)));
        check(&utf16("emoji 🌍 ok", false), Ok(("emoji 🌍 ok", Encoding::Utf16Le)));
        check(b"\x93Caf\xE9\x94 said", Ok(("“Café” said", Encoding::Windows1252)));
        check(b"na\xEFve \x96 r\xE9sum\xE9", Ok(("naïve – résumé", Encoding::Windows1252)));
        check(b"\xEF\xBB\xBF\x93x\x94", Ok(("“x”", Encoding::Windows1252)));
        check(b"\xEF\xBB\xBF", Ok(("", Encoding::Utf8Bom)));
    }

    #[test]
    fn invalid_utf16_is_an_error() {
        check(
            b"\xFF\xFEa\x00b",
            Err(ReadError::Utf16("odd number of bytes (3) after the byte-order mark".into())),
        );
        // A lone high surrogate (0xD83C) followed by an ordinary character.
        check(
            b"\xFF\xFEa\x00\x3C\xD8b\x00",
            Err(ReadError::Utf16("unpaired surrogate 0xD83C near byte 4".into())),
        );
        check(b"\xFE\xFF\xDC\x00", Err(ReadError::Utf16("unpaired surrogate 0xDC00 near byte 2".into())));
    }

    #[test]
    fn newlines_are_normalised() {
        check(b"one\r\ntwo\rthree\n\nfour", Ok(("one\ntwo\nthree\n\nfour", Encoding::Utf8)));
        check(&utf16("a\r\nb", false), Ok(("a\nb", Encoding::Utf16Le)));
    }

    #[test]
    fn binary_and_empty() {
        check(b"", Err(ReadError::Empty));
        check(b"PK\x03\x04\x14\x00\x00\x00", Err(ReadError::Binary));
        check(b"text with a \x00 inside", Err(ReadError::Binary));
        check(&[0x01, 0x02, 0x03, 0x7F, b'a', 0x1B, 0x05, b'b'], Err(ReadError::Binary));
        check(&utf16("a\0b", false), Err(ReadError::Binary));
        // A stray form feed or escape in a long text is not junk.
        check(
            b"Page one\x0cPage two \x1b end of a longer line",
            Ok(("Page one\x0cPage two \x1b end of a longer line", Encoding::Utf8)),
        );
    }
}
