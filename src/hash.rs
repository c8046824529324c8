//! The hash hearth names contents by: a fast 64-bit hash of bytes, the
//! same in every process, for what a build compares with the build
//! before (page fingerprints, loaded texts, files read).

/// A 64-bit hash of `bytes`, fast on long inputs: two lanes, each taking
/// eight bytes a step through a step that is one-to-one in its state (so
/// inputs that differ in one word never meet in a lane), mixed at the
/// end. Not for adversarial input: it only has to tell a page's old
/// context from its new one.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    const K1: u64 = 0x9E37_79B9_7F4A_7C15;
    const K2: u64 = 0xC2B2_AE3D_27D4_EB4F;
    let (mut a, mut b) = (K2, K1);
    let mut step = |word: u64| {
        a = (a ^ word).wrapping_mul(K1).rotate_left(29);
        b = (b.rotate_left(23) ^ word).wrapping_mul(K2);
    };
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        step(u64::from_le_bytes(word.try_into().expect("eight bytes")));
    }
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    step(u64::from_le_bytes(tail));
    step(bytes.len() as u64);
    mix(a) ^ mix(b).rotate_left(32)
}

/// MurmurHash3's finalizer: every bit of the input reaches every bit.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    x ^= x >> 33;
    x = x.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    x ^ (x >> 33)
}

/// One hash of two: `first` then `second`.
pub fn hash_pair(first: u64, second: u64) -> u64 {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&first.to_le_bytes());
    bytes[8..].copy_from_slice(&second.to_le_bytes());
    hash_bytes(&bytes)
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
