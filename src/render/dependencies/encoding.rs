//! What a [`super::Digest`] hashes: values written through serde as
//! MessagePack (`rmp-serde`, structs as maps with their field names): no
//! JSON is built, no text escaped.
//!
//! MessagePack keeps what a template's JSON shows: every value starts with
//! its kind (nil, false, true, integer, float, text, array, map), texts and
//! collections carry their length, and a struct's fields their names. So
//! two values whose JSON differs write different bytes, whatever their
//! Rust types — including a context's free-form values (front matter
//! `extra`, a `serde_json::Value`), whose kind only the bytes can tell.
//! (postcard, which writes a value's contents without its kind, gave
//! `mood: ""` and `mood: false` the same bytes, and left such a page
//! stale: see the test
//! `a_front_matter_value_changed_to_another_kind_renders_the_page_again`.)
//! What JSON does not tell apart either — `Some(())` and `None`, both
//! `null` — may hash alike: a template sees the JSON, so it renders such
//! values alike.

use serde::Serialize;

/// Appends `value`'s bytes to `out`. False if the value's own `Serialize`
/// failed (so rendering it fails too).
pub fn encode(out: &mut Vec<u8>, value: &(impl Serialize + ?Sized)) -> bool {
    value
        .serialize(&mut rmp_serde::Serializer::new(out).with_struct_map())
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(value: &(impl Serialize + ?Sized)) -> u64 {
        let mut out = Vec::new();
        assert!(encode(&mut out, value));
        crate::hash::hash_bytes(&out)
    }

    /// Pairs of values whose JSON differs, so must their bytes: texts
    /// split at another place, a missing value against an empty one,
    /// members moved across a sequence's end, fields whose values swap, a
    /// text against a number, an integer against a float, and free-form
    /// values of another kind.
    #[test]
    fn values_whose_json_differs_have_different_bytes() {
        #[derive(Serialize)]
        struct Card<'a> {
            title: &'a str,
            summary: Option<&'a str>,
        }
        let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
        let pairs = [
            (hash(&("ab", "c")), hash(&("a", "bc"))),
            (hash(&Some("")), hash(&None::<&str>)),
            (
                hash(&(vec![1u32], vec![2u32])),
                hash(&(vec![1u32, 2], Vec::<u32>::new())),
            ),
            (hash(&[Some(1u8)]), hash(&[None::<u8>])),
            (hash(&-1i64), hash(&1i64)),
            (hash(&-1i64), hash(&u64::MAX)),
            (hash(&1.0f64), hash(&1u64)),
            (hash(&"1"), hash(&1u8)),
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
            (hash(&json(r#"{"a": ""}"#)), hash(&json(r#"{"a": false}"#))),
            (hash(&json(r#"{"a": null}"#)), hash(&json(r#"{"a": []}"#))),
            (hash(&json(r#"{"a": 0}"#)), hash(&json(r#"{"a": "0"}"#))),
            (hash(&json(r#"{"a": {}}"#)), hash(&json(r#"{"a": []}"#))),
        ];
        for (at, (one, other)) in pairs.iter().enumerate() {
            assert_ne!(one, other, "pair {at}");
        }
    }

    /// A field left out by its value (`skip_serializing_if`) does not let
    /// the next field take its place: fields go by name.
    #[test]
    fn a_struct_field_is_told_apart_by_its_name() {
        #[derive(Serialize)]
        struct A {
            #[serde(skip_serializing_if = "Option::is_none")]
            first: Option<u8>,
            #[serde(skip_serializing_if = "Option::is_none")]
            second: Option<u8>,
        }
        let only_first = A {
            first: Some(1),
            second: None,
        };
        let only_second = A {
            first: None,
            second: Some(1),
        };
        assert_ne!(hash(&only_first), hash(&only_second));
        assert_eq!(hash(&only_first), hash(&only_first));
    }

    #[test]
    fn a_sequence_of_unknown_length_is_written_too() {
        struct Unknown(Vec<u8>);
        impl Serialize for Unknown {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeSeq;
                let mut seq = serializer.serialize_seq(None)?;
                for n in &self.0 {
                    seq.serialize_element(n)?;
                }
                seq.end()
            }
        }
        assert_ne!(hash(&Unknown(vec![1])), hash(&Unknown(vec![1, 2])));
        assert_eq!(hash(&Unknown(vec![1, 2])), hash(&vec![1u8, 2]));
    }
}
