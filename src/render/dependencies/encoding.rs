//! What a [`super::Digest`] hashes: values written through serde as bytes
//! that tell any two values apart, cheaper to make than their JSON (no
//! escaping of texts, no number formatting).
//!
//! Every value starts with a tag byte naming its kind; texts and byte
//! strings carry their length first; the members of a sequence, map or
//! struct each follow a [`MORE`] byte, and [`END`] closes them. So each
//! value's bytes end where the value ends, and two values (or two runs of
//! values) with the same bytes made the same serde calls: whatever their
//! JSON would show apart, these bytes show apart too.

use serde::ser::{self, Serialize};
use std::fmt;

/// Before each member of a sequence, map or struct.
const MORE: u8 = 1;
/// After the last member.
const END: u8 = 0;

#[repr(u8)]
enum Tag {
    Bool,
    Signed,
    Unsigned,
    Signed128,
    Unsigned128,
    Float,
    Char,
    Str,
    Bytes,
    None,
    Some,
    Unit,
    UnitStruct,
    UnitVariant,
    NewtypeStruct,
    NewtypeVariant,
    Seq,
    Tuple,
    TupleStruct,
    TupleVariant,
    Map,
    Struct,
    StructVariant,
}

/// Writes `value`'s bytes at the end of `out`.
pub fn encode(out: &mut Vec<u8>, value: &(impl Serialize + ?Sized)) {
    // Writing into memory cannot fail; a value whose own `Serialize`
    // fails fails the same way when the page is rendered.
    let _ = value.serialize(&mut Encoder { out });
}

struct Encoder<'a> {
    out: &'a mut Vec<u8>,
}

impl Encoder<'_> {
    fn tag(&mut self, tag: Tag) {
        self.out.push(tag as u8);
    }

    fn len(&mut self, len: usize) {
        self.out.extend_from_slice(&(len as u64).to_le_bytes());
    }

    /// A number: its tag, then its little-endian bytes (fixed in length
    /// for each tag, so no length is needed).
    fn number(&mut self, tag: Tag, bytes: &[u8]) {
        self.tag(tag);
        self.out.extend_from_slice(bytes);
    }

    fn text(&mut self, text: &str) {
        self.len(text.len());
        self.out.extend_from_slice(text.as_bytes());
    }

    fn variant(&mut self, tag: Tag, name: &str, index: u32, variant: &str) {
        self.tag(tag);
        self.text(name);
        self.out.extend_from_slice(&index.to_le_bytes());
        self.text(variant);
    }
}

/// A failure of a value's own `Serialize` (the encoder itself never fails).
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Error {
        Error(message.to_string())
    }
}

impl<'a, 'b> ser::Serializer for &'a mut Encoder<'b> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.tag(Tag::Bool);
        self.out.push(u8::from(v));
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }

    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.number(Tag::Signed, &v.to_le_bytes());
        Ok(())
    }

    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.number(Tag::Signed128, &v.to_le_bytes());
        Ok(())
    }

    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }

    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.number(Tag::Unsigned, &v.to_le_bytes());
        Ok(())
    }

    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.number(Tag::Unsigned128, &v.to_le_bytes());
        Ok(())
    }

    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(v.into())
    }

    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.number(Tag::Float, &v.to_bits().to_le_bytes());
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.number(Tag::Char, &u32::from(v).to_le_bytes());
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.tag(Tag::Str);
        self.text(v);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.tag(Tag::Bytes);
        self.len(v.len());
        self.out.extend_from_slice(v);
        Ok(())
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.tag(Tag::None);
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        self.tag(Tag::Some);
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.tag(Tag::Unit);
        Ok(())
    }

    fn serialize_unit_struct(self, name: &'static str) -> Result<(), Error> {
        self.tag(Tag::UnitStruct);
        self.text(name);
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.variant(Tag::UnitVariant, name, index, variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.tag(Tag::NewtypeStruct);
        self.text(name);
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.variant(Tag::NewtypeVariant, name, index, variant);
        value.serialize(self)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Error> {
        self.tag(Tag::Seq);
        Ok(self)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self, Error> {
        self.tag(Tag::Tuple);
        Ok(self)
    }

    fn serialize_tuple_struct(self, name: &'static str, _: usize) -> Result<Self, Error> {
        self.tag(Tag::TupleStruct);
        self.text(name);
        Ok(self)
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Error> {
        self.variant(Tag::TupleVariant, name, index, variant);
        Ok(self)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self, Error> {
        self.tag(Tag::Map);
        Ok(self)
    }

    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Self, Error> {
        self.tag(Tag::Struct);
        self.text(name);
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Error> {
        self.variant(Tag::StructVariant, name, index, variant);
        Ok(self)
    }
}

impl Encoder<'_> {
    /// One member of a sequence (or a map's key): [`MORE`], then it.
    fn member<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.out.push(MORE);
        value.serialize(&mut *self)
    }

    /// A struct's field: [`MORE`], its name, its value.
    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        self.out.push(MORE);
        self.text(key);
        value.serialize(&mut *self)
    }

    fn end(&mut self) -> Result<(), Error> {
        self.out.push(END);
        Ok(())
    }
}

/// The compound kinds whose members are values one after another.
macro_rules! members {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for &mut Encoder<'_> {
            type Ok = ();
            type Error = Error;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.member(value)
            }

            fn end(self) -> Result<(), Error> {
                Encoder::end(self)
            }
        }
    )*};
}

members!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for &mut Encoder<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.member(key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut **self)
    }

    fn end(self) -> Result<(), Error> {
        Encoder::end(self)
    }
}

/// The compound kinds whose members are named fields.
macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for &mut Encoder<'_> {
            type Ok = ();
            type Error = Error;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.field(key, value)
            }

            fn end(self) -> Result<(), Error> {
                Encoder::end(self)
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(value: &(impl Serialize + ?Sized)) -> Vec<u8> {
        let mut out = Vec::new();
        encode(&mut out, value);
        out
    }

    /// Pairs of values whose bytes must differ: texts split at another
    /// place, a missing value against an empty one, members moved across
    /// a sequence's end.
    #[test]
    fn values_that_differ_have_different_bytes() {
        let pairs: Vec<(Vec<u8>, Vec<u8>)> = vec![
            (bytes(&("ab", "c")), bytes(&("a", "bc"))),
            (bytes(&Some("")), bytes(&None::<&str>)),
            (bytes(&Some(())), bytes(&())),
            (
                bytes(&(vec![1u32], vec![2u32])),
                bytes(&(vec![1u32, 2], Vec::<u32>::new())),
            ),
            (bytes(&[Some(1u8)]), bytes(&[1u8])),
            (bytes(&"1"), bytes(&1u8)),
            (bytes(&-1i64), bytes(&u64::MAX)),
            (bytes(&1.0f64), bytes(&1u64)),
            (bytes(&'a'), bytes(&"a")),
        ];
        for (one, other) in pairs {
            assert_ne!(one, other);
        }
    }

    #[test]
    fn a_struct_field_is_told_apart_by_its_name() {
        #[derive(serde::Serialize)]
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
        assert_ne!(bytes(&only_first), bytes(&only_second));
        assert_eq!(bytes(&only_first), bytes(&only_first));
    }
}
