//! URL slugs and heading ids, made the same way everywhere.

/// Lowercase words joined by `-`: `"Today's Activity"` → `today-s-activity`,
/// `"Qualité Time"` → `qualité-time`. Letters and digits of any script are
/// kept; everything else separates words.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(ch.to_lowercase());
        } else {
            pending_dash = true;
        }
    }
    slug
}

/// Text reduced to what title matching compares: lowercase letters and
/// digits only, so case, punctuation, quotes and spacing do not matter.
pub fn title_key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
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
