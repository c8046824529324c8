//! URL slugs and heading ids, made the same way everywhere.

/// Lowercase words joined by `-`: `"Today's Activity"` → `today-s-activity`,
/// `"Qualité Time"` → `qualité-time`. Letters and digits of any script are
/// kept; everything else separates words.
pub fn slugify(text: &str) -> String {
    join_words(text, |ch| {
        if ch.is_alphanumeric() {
            Letter::Keep
        } else {
            Letter::Separate
        }
    })
}

/// A file name for imported text: plain ASCII, apostrophes dropped
/// (`"Each Other’s Café"` → `each-others-cafe`), so the name is portable
/// and reads as the words did.
pub fn file_slug(text: &str) -> String {
    join_words(text, |ch| match ch {
        '\'' | '’' | '‘' | 'ʼ' | '`' | '´' => Letter::Skip,
        'a'..='z' | '0'..='9' => Letter::Keep,
        'à'..='å' => Letter::Ascii("a"),
        'æ' => Letter::Ascii("ae"),
        'ç' => Letter::Ascii("c"),
        'è'..='ë' => Letter::Ascii("e"),
        'ì'..='ï' => Letter::Ascii("i"),
        'ñ' => Letter::Ascii("n"),
        'ò'..='ö' | 'ø' => Letter::Ascii("o"),
        'œ' => Letter::Ascii("oe"),
        'ß' => Letter::Ascii("ss"),
        'ù'..='ü' => Letter::Ascii("u"),
        'ý' | 'ÿ' => Letter::Ascii("y"),
        _ => Letter::Separate,
    })
}

/// What a (lowercased) character becomes in a slug.
enum Letter {
    Keep,
    Ascii(&'static str),
    Skip,
    Separate,
}

/// The longest slug, in bytes: a slug is a folder name, and file systems
/// refuse names over 255 bytes.
const MAX_SLUG_BYTES: usize = 120;

/// Lowercases `text` and joins its words with `-`, as `letter` says; cut
/// at a word boundary to at most [`MAX_SLUG_BYTES`].
fn join_words(text: &str, letter: impl Fn(char) -> Letter) -> String {
    // ASCII text (nearly every name) lowercases byte by byte, without
    // Unicode's one-to-many case mapping.
    if text.is_ascii() {
        let lowered = text
            .bytes()
            .map(|byte| char::from(byte.to_ascii_lowercase()));
        return join_lowercased(text.len(), lowered, letter);
    }
    join_lowercased(
        text.len(),
        text.chars().flat_map(char::to_lowercase),
        letter,
    )
}

/// [`join_words`] of text already lowercased, `len` bytes long.
fn join_lowercased(
    len: usize,
    lowered: impl Iterator<Item = char>,
    letter: impl Fn(char) -> Letter,
) -> String {
    let mut slug = String::with_capacity(len);
    let mut pending_dash = false;
    for ch in lowered {
        let piece = match letter(ch) {
            Letter::Skip => continue,
            Letter::Separate => {
                pending_dash = true;
                continue;
            }
            Letter::Keep => None,
            Letter::Ascii(ascii) => Some(ascii),
        };
        if pending_dash && !slug.is_empty() {
            slug.push('-');
        }
        pending_dash = false;
        match piece {
            Some(ascii) => slug.push_str(ascii),
            None => slug.push(ch),
        }
    }
    if slug.len() > MAX_SLUG_BYTES {
        let mut end = MAX_SLUG_BYTES;
        while !slug.is_char_boundary(end) {
            end -= 1;
        }
        let cut = slug[..end]
            .rfind('-')
            .filter(|&dash| dash > MAX_SLUG_BYTES / 2)
            .unwrap_or(end);
        slug.truncate(cut);
    }
    slug
}

/// Text reduced to what title matching compares: lowercase letters and
/// digits only, so case, punctuation, quotes and spacing do not matter.
pub fn title_key(text: &str) -> String {
    if text.is_ascii() {
        return ascii_key_bytes(text).map(char::from).collect();
    }
    title_key_chars(text).collect()
}

/// The characters of [`title_key`], without building the string.
fn title_key_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
}

/// [`title_key_chars`] of ASCII text, byte by byte.
fn ascii_key_bytes(text: &str) -> impl Iterator<Item = u8> + '_ {
    text.bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|byte| byte.to_ascii_lowercase())
}

/// Whether `name` is a prefix of `text` as [`title_key`] compares them;
/// allocates nothing (it runs for every part of every day, more than once
/// per rebuild, so ASCII text is compared byte by byte).
pub fn starts_with_key(text: &str, name: &str) -> bool {
    if text.is_ascii() && name.is_ascii() {
        let mut text = ascii_key_bytes(text);
        return ascii_key_bytes(name).all(|byte| text.next() == Some(byte));
    }
    let mut text = title_key_chars(text);
    title_key_chars(name).all(|c| text.next() == Some(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_words_of_any_script() {
        assert_eq!(slugify("Today's Activity"), "today-s-activity");
        assert_eq!(slugify("  Quality   Time! "), "quality-time");
        assert_eq!(slugify("Vulnérabilité & Trust"), "vulnérabilité-trust");
        assert_eq!(slugify("Day 1: The Start"), "day-1-the-start");
    }

    #[test]
    fn long_slugs_are_cut_to_a_file_name() {
        let slug = slugify(&"愛".repeat(100));
        assert!(
            slug.len() <= MAX_SLUG_BYTES && slug.starts_with('愛'),
            "{slug}"
        );
        let words = slugify(&"trust and care ".repeat(20));
        assert!(
            words.len() <= MAX_SLUG_BYTES && !words.ends_with('-'),
            "{words}"
        );
        assert!(
            words.ends_with("care") || words.ends_with("and") || words.ends_with("trust"),
            "{words}"
        );
    }

    #[test]
    fn key_prefixes_ignore_case_and_punctuation() {
        assert!(starts_with_key(
            "Reflection Questions for Tonight",
            "reflection questions"
        ));
        assert!(starts_with_key("Today’s Activity", "Today's Activity"));
        assert!(!starts_with_key("Today's Learning", "Today's Activity"));
        assert!(!starts_with_key("Today", "Today's Activity"));
    }

    /// The byte-by-byte paths for ASCII text give what the Unicode paths
    /// give.
    #[test]
    fn ascii_text_is_keyed_and_slugged_as_any_text() {
        use proptest::prelude::*;
        let general_slug = |text: &str| {
            join_lowercased(
                text.len(),
                text.chars().flat_map(char::to_lowercase),
                |ch| {
                    if ch.is_alphanumeric() {
                        Letter::Keep
                    } else {
                        Letter::Separate
                    }
                },
            )
        };
        let general_prefix = |text: &str, name: &str| {
            let mut text = title_key_chars(text);
            title_key_chars(name).all(|c| text.next() == Some(c))
        };
        proptest!(|(text in "[ -~]{0,40}", name in "[ -~]{0,12}")| {
            prop_assert_eq!(slugify(&text), general_slug(&text));
            prop_assert_eq!(title_key(&text), title_key_chars(&text).collect::<String>());
            let prefix = format!("{name}{text}");
            prop_assert_eq!(starts_with_key(&prefix, &name), general_prefix(&prefix, &name));
            prop_assert_eq!(starts_with_key(&text, &name), general_prefix(&text, &name));
        });
    }

    #[test]
    fn file_slugs_are_ascii_without_apostrophes() {
        assert_eq!(file_slug("Each Other’s Café"), "each-others-cafe");
        assert_eq!(
            file_slug("How to Build Trust in a Relationship: 15 Strong Ways"),
            "how-to-build-trust-in-a-relationship-15-strong-ways"
        );
    }

    #[test]
    fn title_keys_ignore_case_punctuation_quotes_and_spacing() {
        assert_eq!(
            title_key("How to Build Trust in a Relationship: 15 Strong Ways"),
            title_key("how to build trust in a relationship 15 strong ways")
        );
        assert_eq!(
            title_key("Partner’s “Love” Map"),
            title_key("Partner's \"Love\" Map")
        );
    }
}
