//! The largest numbers a site may use. Each bounds what one line of input
//! can make hearth allocate or write (a `day: 4294967295` would otherwise
//! ask for 64 GB of weeks), and each is far above what a real journey needs.

use std::ops::RangeInclusive;

/// Journey days: ten years of daily lessons.
pub const DAYS: RangeInclusive<u32> = 1..=3650;

/// Journey weeks: ten years.
pub const WEEKS: RangeInclusive<u32> = 1..=520;

/// Days in a journey's week (`days_per_week`).
pub const DAYS_PER_WEEK: RangeInclusive<u32> = 1..=31;

/// Related guides per page (`[related] count`).
pub const RELATED: RangeInclusive<usize> = 0..=50;

/// Items on a page of a paginated list (`[pagination] per_page`).
pub const PER_PAGE: RangeInclusive<usize> = 1..=1000;

/// `"between 1 and 31"`, for messages.
pub fn describe<T: std::fmt::Display>(range: &RangeInclusive<T>) -> String {
    format!("between {} and {}", range.start(), range.end())
}
