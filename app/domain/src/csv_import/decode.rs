//! Bytes → text. What Excel and other tools save: UTF-8 with or without a BOM, UTF-16 LE/BE with a
//! BOM ("Unicode text"), and the legacy Windows-1252 of older Western European Excel. Anything else
//! is refused with a message that names the problem — never decoded into silent mojibake.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 (with BOM)",
            Encoding::Utf16Le => "UTF-16 LE (Excel \"Unicode text\")",
            Encoding::Utf16Be => "UTF-16 BE",
            Encoding::Windows1252 => "Windows-1252 (Western European)",
        }
    }
}

/// Windows-1252's 0x80–0x9F; `None` where the code page leaves a byte undefined.
const CP1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

fn utf16(bytes: &[u8], little_endian: bool, name: &str) -> Result<String, String> {
    if !bytes.len().is_multiple_of(2) {
        return Err(format!(
            "The file says it is {name} but ends in the middle of a character; it may be cut short. Save it again and upload the new file."
        ));
    }
    let units = bytes.chunks_exact(2).map(|p| {
        if little_endian {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|_| {
            format!(
                "The file says it is {name} but holds bytes that are not {name}. Save it as \"CSV UTF-8\" and upload that."
            )
        })
}

fn windows_1252(bytes: &[u8]) -> Result<String, String> {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
            _ => Some(char::from(b)),
        })
        .collect::<Option<String>>()
        .ok_or_else(|| {
            "The file is not UTF-8 and not Windows-1252 either, so its letters cannot be read reliably. In Excel, use \"Save as\" → \"CSV UTF-8 (comma delimited)\" and upload that file.".to_string()
        })
}

/// UTF-16 without a BOM: a text file where every other byte is zero.
fn bomless_utf16(bytes: &[u8]) -> Option<bool> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let pairs = bytes.len() / 2;
    let zero_odd = bytes.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let zero_even = bytes.iter().step_by(2).filter(|b| **b == 0).count();
    if zero_odd * 10 >= pairs * 9 && zero_even == 0 {
        Some(true)
    } else if zero_even * 10 >= pairs * 9 && zero_odd == 0 {
        Some(false)
    } else {
        None
    }
}

/// How much of a file is searched for a zero byte: a binary file (a spreadsheet, a PDF) has one
/// in its first bytes, and so has UTF-16; a text file with a stray one further on is read, and
/// the row holding it is refused for its control character.
const ZERO_WINDOW: usize = 64 * 1024;

/// The file's text and the encoding it was read in. UTF-8 (nearly every file) becomes the text
/// without a copy.
pub fn decode(mut bytes: Vec<u8>) -> Result<(String, Encoding), String> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
        return String::from_utf8(bytes)
            .map(|t| (t, Encoding::Utf8Bom))
            .map_err(|e| {
                format!(
                    "The file says it is UTF-8 but byte {} is not UTF-8. Save it again as \"CSV UTF-8\" and upload the new file.",
                    e.utf8_error().valid_up_to() + 4
                )
            });
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true, "UTF-16").map(|t| (t, Encoding::Utf16Le));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false, "UTF-16").map(|t| (t, Encoding::Utf16Be));
    }
    let has_zero = bytes[..bytes.len().min(ZERO_WINDOW)].contains(&0);
    if has_zero && let Some(little) = bomless_utf16(&bytes) {
        return if little {
            utf16(&bytes, true, "UTF-16").map(|t| (t, Encoding::Utf16Le))
        } else {
            utf16(&bytes, false, "UTF-16").map(|t| (t, Encoding::Utf16Be))
        };
    }
    if has_zero {
        return Err(
            "The file contains zero bytes, so it is not a text file (a spreadsheet saved as .xlsx, perhaps). In Excel, use \"Save as\" → \"CSV UTF-8 (comma delimited)\" and upload that file.".to_string(),
        );
    }
    match String::from_utf8(bytes) {
        Ok(t) => Ok((t, Encoding::Utf8)),
        Err(e) => windows_1252(e.as_bytes()).map(|t| (t, Encoding::Windows1252)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_encoding_excel_saves() {
        assert_eq!(
            decode(b"a,b".to_vec()).unwrap(),
            ("a,b".into(), Encoding::Utf8)
        );
        assert_eq!(
            decode("\u{feff}é".into()).unwrap(),
            ("é".into(), Encoding::Utf8Bom)
        );
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Zoë".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(le).unwrap(), ("Zoë".into(), Encoding::Utf16Le));
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Zoë".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(be).unwrap(), ("Zoë".into(), Encoding::Utf16Be));
        let bomless: Vec<u8> = "name,x".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(bomless).unwrap().1, Encoding::Utf16Le);
        assert_eq!(
            decode(b"Ren\xe9 \x80".to_vec()).unwrap(),
            ("René €".into(), Encoding::Windows1252)
        );
    }

    #[test]
    fn refuses_what_it_cannot_read_and_says_why() {
        assert!(
            decode(vec![0xFF, 0xFE, 0x41])
                .unwrap_err()
                .contains("cut short")
        );
        assert!(
            decode(vec![0xEF, 0xBB, 0xBF, 0xC3, 0x28])
                .unwrap_err()
                .contains("byte 4 is not UTF-8")
        );
        assert!(
            decode(b"a\x81b".to_vec())
                .unwrap_err()
                .contains("not Windows-1252")
        );
        assert!(
            decode(b"PK\x03\x04\x00\x00xl/".to_vec())
                .unwrap_err()
                .contains(".xlsx")
        );
    }
}
