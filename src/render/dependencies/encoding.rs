//! What a [`super::Digest`] hashes: values written through serde in
//! postcard's compact form, fed straight into the hash (no bytes are
//! gathered, no JSON is built, no text escaped).
//!
//! postcard writes what a value holds, not what it is called: a text or a
//! sequence carries its length first, an `Option` or an enum a
//! discriminant, and a struct is its fields in order, without their
//! names. So the bytes of one Rust type's values tell any two of them
//! apart, as long as the type's shape does not depend on its value. Two
//! things keep that true for what a page fingerprints:
//! - [`super::Digest::add`] writes the value's type name before it, so
//!   values of two types (under one key, or one after another) do not
//!   meet;
//! - no serialized type skips a field by its value
//!   (`skip_serializing_if`) or leaves out its variant (`untagged`): the
//!   test `no_type_skips_fields_or_variants_by_value` fails if one does.
//!
//! Field names are not needed: a renamed field is a new build of hearth,
//! and records of another build are not trusted (`write::records`), while
//! `serve` runs one build throughout.

use crate::hash::StreamHasher;
use serde::Serialize;

/// Feeds `value`'s bytes to `hasher`. False if they could not all be
/// written: the value's own `Serialize` failed (so rendering it fails
/// too), or it is a sequence or map of unknown length, which postcard
/// cannot write.
pub fn encode(hasher: &mut StreamHasher, value: &(impl Serialize + ?Sized)) -> bool {
    postcard::serialize_with_flavor(value, Feed(hasher)).is_ok()
}

/// A postcard output that hashes what it is given.
struct Feed<'a>(&'a mut StreamHasher);

impl postcard::ser_flavors::Flavor for Feed<'_> {
    type Output = ();

    fn try_extend(&mut self, bytes: &[u8]) -> postcard::Result<()> {
        self.0.write(bytes);
        Ok(())
    }

    fn try_push(&mut self, byte: u8) -> postcard::Result<()> {
        self.0.write(&[byte]);
        Ok(())
    }

    fn finalize(self) -> postcard::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(value: &(impl Serialize + ?Sized)) -> u64 {
        let mut hasher = StreamHasher::default();
        assert!(encode(&mut hasher, value));
        hasher.finish()
    }

    /// Pairs of values of one type whose bytes must differ: texts split at
    /// another place, a missing value against an empty one, members moved
    /// across a sequence's end, fields whose values swap.
    #[test]
    fn values_that_differ_have_different_bytes() {
        #[derive(Serialize)]
        struct Card<'a> {
            title: &'a str,
            summary: Option<&'a str>,
        }
        let pairs = [
            (hash(&("ab", "c")), hash(&("a", "bc"))),
            (hash(&Some("")), hash(&None::<&str>)),
            (hash(&Some(())), hash(&None::<()>)),
            (
                hash(&(vec![1u32], vec![2u32])),
                hash(&(vec![1u32, 2], Vec::<u32>::new())),
            ),
            (hash(&[Some(1u8)]), hash(&[None::<u8>])),
            (hash(&-1i64), hash(&1i64)),
            (hash(&1.0f64), hash(&-1.0f64)),
            (
                hash(&Card {
                    title: "a",
                    summary: Some("b"),
                }),
                hash(&Card {
                    title: "b",
                    summary: Some("a"),
                }),
            ),
            (
                hash(&Card {
                    title: "",
                    summary: Some(""),
                }),
                hash(&Card {
                    title: "",
                    summary: None,
                }),
            ),
        ];
        for (at, (one, other)) in pairs.iter().enumerate() {
            assert_ne!(one, other, "pair {at}");
        }
    }

    #[test]
    fn a_sequence_of_unknown_length_is_reported() {
        struct Unknown;
        impl Serialize for Unknown {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeSeq;
                let mut seq = serializer.serialize_seq(None)?;
                seq.serialize_element(&1u8)?;
                seq.end()
            }
        }
        assert!(!encode(&mut StreamHasher::default(), &Unknown));
    }

    /// Positional bytes tell a type's values apart only while every value
    /// writes the same fields and variant tags (see the module doc).
    #[test]
    fn no_type_skips_fields_or_variants_by_value() {
        let mut found = Vec::new();
        let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for entry in walkdir::WalkDir::new(source) {
            let entry = entry.expect("src is readable");
            if entry.path().extension().is_none_or(|ext| ext != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).expect("a source file");
            for (number, line) in text.lines().enumerate() {
                let attribute = line.trim_start();
                if attribute.starts_with("#[serde(")
                    && ["skip_serializing_if", "untagged"]
                        .iter()
                        .any(|word| attribute.contains(word))
                {
                    found.push(format!("{}:{}", entry.path().display(), number + 1));
                }
            }
        }
        assert!(
            found.is_empty(),
            "serde attributes that shape a value by what it holds: {found:?}"
        );
    }
}
