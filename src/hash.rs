//! The hash hearth names contents by: a fast 64-bit hash of bytes, the
//! same in every process, for what a build compares with the build
//! before (page fingerprints, loaded texts, files read).

/// A 64-bit hash of `bytes`: rapidhash V3, whose output the crate keeps
/// the same across its releases and platforms. Not for adversarial input:
/// it only has to tell a page's old context from its new one.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    rapidhash::v3::rapidhash_v3(bytes)
}

/// One hash of two: `first` then `second`.
pub fn hash_pair(first: u64, second: u64) -> u64 {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&first.to_le_bytes());
    bytes[8..].copy_from_slice(&second.to_le_bytes());
    hash_bytes(&bytes)
}

/// [`hash_bytes`] of bytes fed in pieces, without gathering them: rapidhash's
/// incremental form keeps a 128-byte buffer however much it is fed, and
/// the crate promises it hashes as the one-shot form does.
pub struct StreamHasher(rapidhash::v3::RapidStreamHasherV3<'static>);

impl Default for StreamHasher {
    fn default() -> StreamHasher {
        StreamHasher(rapidhash::v3::RapidStreamHasherV3::new(
            &rapidhash::v3::DEFAULT_RAPID_SECRETS,
        ))
    }
}

impl StreamHasher {
    pub fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
    }

    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// A [`std::hash::Hasher`] that gathers what it is fed and hashes it with
/// [`hash_bytes`] a block at a time: `#[derive(Hash)]` values hashed the
/// same in every process, faster than SipHash on long texts, in little
/// memory however much it is fed.
#[derive(Default)]
pub struct ContentHasher {
    /// The hash of the blocks before.
    state: u64,
    block: Vec<u8>,
}

/// What [`ContentHasher`] gathers before hashing.
const BLOCK_BYTES: usize = 64 * 1024;

impl std::hash::Hasher for ContentHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.block.extend_from_slice(bytes);
        if self.block.len() >= BLOCK_BYTES {
            self.state = hash_pair(self.state, hash_bytes(&self.block));
            self.block.clear();
        }
    }

    fn finish(&self) -> u64 {
        hash_pair(self.state, hash_bytes(&self.block))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{Hash, Hasher};

    fn content_hash(value: &impl Hash) -> u64 {
        let mut hasher = ContentHasher::default();
        value.hash(&mut hasher);
        hasher.finish()
    }

    #[test]
    fn bytes_fed_in_pieces_hash_as_bytes_given_whole() {
        let bytes: Vec<u8> = (0..1000u32).map(|i| (i * 7 + i / 13) as u8).collect();
        for piece in [1, 3, 16, 111, 112, 113, 500, 1000] {
            let mut hasher = StreamHasher::default();
            for chunk in bytes.chunks(piece) {
                hasher.write(chunk);
            }
            assert_eq!(hasher.finish(), hash_bytes(&bytes), "pieces of {piece}");
        }
        assert_eq!(StreamHasher::default().finish(), hash_bytes(b""));
    }

    #[test]
    fn long_contents_are_hashed_whole_in_blocks() {
        let text = "a".repeat(3 * BLOCK_BYTES + 17);
        let base = content_hash(&text);
        assert_eq!(content_hash(&text), base);
        for at in [0, BLOCK_BYTES - 1, BLOCK_BYTES + 5, text.len() - 1] {
            let mut changed = text.clone().into_bytes();
            changed[at] = b'b';
            assert_ne!(
                content_hash(&changed),
                content_hash(&text.as_bytes()),
                "byte {at}"
            );
        }
        assert_ne!(content_hash(&("ab", "c")), content_hash(&("a", "bc")));
    }
}
