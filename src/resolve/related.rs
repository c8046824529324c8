//! Related guides for every guide and day: most shared topics first, then
//! the same category, then the newest; never the page itself.

use super::Site;
use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::HashMap;

/// What a page is, for ranking others against it.
struct Subject<'a> {
    topics: &'a [usize],
    category: &'a str,
    /// The guide itself, left out of its own list.
    guide: Option<usize>,
}

/// The related lists of a site, with a hash of what ranking them read.
pub struct Ranked {
    inputs: u64,
    guides: Vec<Vec<usize>>,
    days: Vec<Vec<Vec<usize>>>,
}

/// [`rank_related`], or the lists of `kept` when the site gives the
/// ranking the same inputs as the site they were ranked for (a title or a
/// body edit leaves every list as it was); keeps the lists it ends with.
pub fn rank_related_keeping(site: &mut Site, kept: &mut Option<Ranked>) {
    let inputs = ranking_inputs(site);
    match kept {
        Some(ranked) if ranked.inputs == inputs => {
            for (guide, related) in site.guides.iter_mut().zip(&ranked.guides) {
                guide.related.clone_from(related);
            }
            for (journey, lists) in site.journeys.iter_mut().zip(&ranked.days) {
                for (day, related) in journey.days.iter_mut().zip(lists) {
                    day.related.clone_from(related);
                }
            }
        }
        _ => {
            rank_related(site);
            *kept = Some(Ranked {
                inputs,
                guides: site.guides.iter().map(|g| g.related.clone()).collect(),
                days: site
                    .journeys
                    .iter()
                    .map(|j| j.days.iter().map(|d| d.related.clone()).collect())
                    .collect(),
            });
        }
    }
}

/// A hash of everything [`rank_related`] reads of the site: the count,
/// the guides in order with their topics and category, and each journey's
/// category with its days' topics. (When the ranking comes to read
/// something more, it goes in here too; `tests/it/incremental.rs` edits
/// each of these and compares with a full build.)
fn ranking_inputs(site: &Site) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    site.config.config.related.count.hash(&mut hasher);
    site.topics.len().hash(&mut hasher);
    site.guides.len().hash(&mut hasher);
    for guide in &site.guides {
        guide.topics.hash(&mut hasher);
        guide.source.front.category.hash(&mut hasher);
    }
    site.journeys.len().hash(&mut hasher);
    for journey in &site.journeys {
        journey.front.category.hash(&mut hasher);
        journey.days.len().hash(&mut hasher);
        for day in &journey.days {
            day.topics.hash(&mut hasher);
        }
    }
    hasher.finish()
}

pub fn rank_related(site: &mut Site) {
    let count = site.config.config.related.count;
    if count == 0 || site.guides.is_empty() {
        return;
    }
    let ranker = Ranker::new(site);
    let tally = || Tally::new(site.guides.len());
    let guide_lists: Vec<Vec<usize>> = (0..site.guides.len())
        .into_par_iter()
        .map_init(tally, |tally, g| {
            let guide = &site.guides[g];
            ranker.rank(
                &Subject {
                    topics: &guide.topics,
                    category: &guide.source.front.category,
                    guide: Some(g),
                },
                count,
                tally,
            )
        })
        .collect();
    // A day's list follows from its topics and its journey's category
    // alone, and many days share both (a site has few topics): each pair
    // is ranked once.
    let mut shapes: HashMap<(&[usize], &str), usize> = HashMap::new();
    let day_shapes: Vec<Vec<usize>> = site
        .journeys
        .iter()
        .map(|journey| {
            journey
                .days
                .iter()
                .map(|day| {
                    let next = shapes.len();
                    let shape = (day.topics.as_slice(), journey.front.category.as_str());
                    *shapes.entry(shape).or_insert(next)
                })
                .collect()
        })
        .collect();
    let mut subjects = vec![(&[][..], ""); shapes.len()];
    for (shape, index) in shapes {
        subjects[index] = shape;
    }
    let shape_lists: Vec<Vec<usize>> = subjects
        .par_iter()
        .map_init(tally, |tally, &(topics, category)| {
            ranker.rank(
                &Subject {
                    topics,
                    category,
                    guide: None,
                },
                count,
                tally,
            )
        })
        .collect();
    let day_lists: Vec<Vec<Vec<usize>>> = day_shapes
        .iter()
        .map(|days| {
            days.iter()
                .map(|&shape| shape_lists[shape].clone())
                .collect()
        })
        .collect();
    for (guide, related) in site.guides.iter_mut().zip(guide_lists) {
        guide.related = related;
    }
    for (journey, lists) in site.journeys.iter_mut().zip(day_lists) {
        for (day, related) in journey.days.iter_mut().zip(lists) {
            day.related = related;
        }
    }
}

/// Guides by topic and by category, built once per build.
///
/// A subject's candidates are counted one of two ways, whichever is
/// cheaper for it: a tally over the guides of each of its topics (few
/// guides per topic), or, when its topics hold many guides, word by word
/// over the topics as bit sets (a tally there grows with the square of the
/// site: at 40,000 guides on 40 topics each guide would count ~9,000
/// candidates). Both give the same list.
struct Ranker<'a> {
    /// Each guide's topics and category.
    guides: Vec<(&'a [usize], &'a str)>,
    by_topic: Vec<Vec<usize>>,
    /// Topics with at least a word's worth of guides per word of a bit
    /// set, as bit sets (so they take no more memory than `by_topic`).
    topic_bits: Vec<Option<Bits>>,
    /// Guides by category, the same way.
    by_category: HashMap<&'a str, (Vec<usize>, Option<Bits>)>,
}

/// A set of guides: bit `g % 64` of word `g / 64` is guide `g`.
type Bits = Vec<u64>;

/// The words of a bit set of `guides` guides.
fn words_for(guides: usize) -> usize {
    guides.div_ceil(64)
}

fn bits_of(members: &[usize], words: usize) -> Bits {
    let mut bits = vec![0; words];
    for &g in members {
        bits[g / 64] |= 1 << (g % 64);
    }
    bits
}

/// `members` as bits when that is no larger than the list.
fn dense_bits(members: &[usize], words: usize) -> Option<Bits> {
    (members.len() >= words).then(|| bits_of(members, words))
}

impl<'a> Ranker<'a> {
    fn new(site: &'a Site) -> Self {
        Ranker::of(
            site.guides
                .iter()
                .map(|guide| {
                    (
                        guide.topics.as_slice(),
                        guide.source.front.category.as_str(),
                    )
                })
                .collect(),
            site.topics.len(),
        )
    }

    /// A ranker for guides given as (topics, category), with `topics` topics.
    fn of(guides: Vec<(&'a [usize], &'a str)>, topics: usize) -> Self {
        let words = words_for(guides.len());
        let mut by_topic = vec![Vec::new(); topics];
        let mut by_category: HashMap<&str, (Vec<usize>, Option<Bits>)> = HashMap::new();
        for (g, &(topics, category)) in guides.iter().enumerate() {
            for &topic in topics {
                by_topic[topic].push(g);
            }
            if !category.is_empty() {
                by_category.entry(category).or_default().0.push(g);
            }
        }
        let topic_bits = by_topic
            .iter()
            .map(|members| dense_bits(members, words))
            .collect();
        for (members, bits) in by_category.values_mut() {
            *bits = dense_bits(members, words);
        }
        Ranker {
            guides,
            by_topic,
            topic_bits,
            by_category,
        }
    }

    fn rank(&self, subject: &Subject, count: usize, tally: &mut Tally) -> Vec<usize> {
        let mut related = if self.bits_are_cheaper(subject) {
            self.rank_by_bits(subject, count)
        } else {
            self.rank_by_tally(subject, count, tally)
        };
        // Too few: fill with the newest guides of the same category.
        if related.len() < count && !subject.category.is_empty() {
            let same = self
                .by_category
                .get(subject.category)
                .map_or(&[][..], |(members, _)| members);
            let more = same
                .iter()
                .filter(|&&g| Some(g) != subject.guide && !related.contains(&g));
            let missing = count - related.len();
            let more: Vec<usize> = more.take(missing).copied().collect();
            related.extend(more);
        }
        related
    }

    /// Whether going over bit sets costs less than a tally of the
    /// subject's topics' guides (a word of bits takes a few operations per
    /// topic; a tallied guide takes a few, once, for each topic it shares).
    fn bits_are_cheaper(&self, subject: &Subject) -> bool {
        let topics = subject.topics.len();
        let tallied: usize = subject
            .topics
            .iter()
            .map(|&topic| self.by_topic[topic].len())
            .sum();
        let words = words_for(self.guides.len());
        tallied > words * (topics + 1) * (topics + 2) / 4
    }

    /// Ranking key: shared topics, same category, newest, then site order
    /// (guides are stored newest first, so a lower index wins a tie).
    fn key(
        &self,
        subject: &Subject,
        guide: usize,
        shared: usize,
    ) -> (Reverse<usize>, Reverse<bool>, usize) {
        let same_category =
            !subject.category.is_empty() && self.guides[guide].1 == subject.category;
        (Reverse(shared), Reverse(same_category), guide)
    }

    fn rank_by_tally(&self, subject: &Subject, count: usize, tally: &mut Tally) -> Vec<usize> {
        // Count the topics each guide shares with the subject, then keep
        // the `count` best keys (a key ends with the guide, so no ties).
        for &topic in subject.topics {
            for &guide in &self.by_topic[topic] {
                if Some(guide) != subject.guide {
                    tally.add(guide);
                }
            }
        }
        let mut best = Vec::with_capacity(count + 1);
        for (guide, shared) in tally.drain() {
            // Fewer shared topics than the last kept: no need to look at
            // its category.
            let full = best.len() == count;
            if full
                && best
                    .last()
                    .is_some_and(|(Reverse(kept), _, _)| shared < *kept)
            {
                continue;
            }
            let key = self.key(subject, guide, shared);
            if best.len() < count || best.last().is_some_and(|last| key < *last) {
                let at = best.partition_point(|kept| *kept < key);
                best.insert(at, key);
                best.truncate(count);
            }
        }
        best.into_iter().map(|(_, _, g)| g).collect()
    }

    /// The same list as [`Ranker::rank_by_tally`], going over 64 guides at
    /// a time. Candidates fall into buckets by rank — (shared topics, same
    /// category) — each filled in guide order, so a bucket needs no more
    /// than `count`, and a bucket behind `count` better ones none.
    fn rank_by_bits(&self, subject: &Subject, count: usize) -> Vec<usize> {
        let words = words_for(self.guides.len());
        let topics: Vec<std::borrow::Cow<Bits>> = subject
            .topics
            .iter()
            .map(|&topic| match &self.topic_bits[topic] {
                Some(bits) => std::borrow::Cow::Borrowed(bits),
                None => std::borrow::Cow::Owned(bits_of(&self.by_topic[topic], words)),
            })
            .collect();
        let category: Option<std::borrow::Cow<Bits>> = self
            .by_category
            .get(subject.category)
            .filter(|_| !subject.category.is_empty())
            .map(|(members, bits)| match bits {
                Some(bits) => std::borrow::Cow::Borrowed(bits),
                None => std::borrow::Cow::Owned(bits_of(members, words)),
            });
        let most = topics.len();
        // Bucket `2 * (most - shared) + other_category`, best first.
        let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); 2 * most];
        // `at_least[s]`: the guides of the word sharing `s` topics or more.
        let mut at_least = vec![0u64; most + 2];
        for word in 0..words {
            at_least.fill(0);
            at_least[0] = !0;
            for (t, bits) in topics.iter().enumerate() {
                let guides = bits[word];
                for shared in (1..=t + 1).rev() {
                    at_least[shared] |= at_least[shared - 1] & guides;
                }
            }
            let mut candidates = at_least[1];
            if let Some(own) = subject.guide.filter(|g| g / 64 == word) {
                candidates &= !(1 << (own % 64));
            }
            if candidates == 0 {
                continue;
            }
            let same = category.as_ref().map_or(0, |bits| bits[word]);
            let mut better = 0;
            'buckets: for shared in (1..=most).rev() {
                let exactly = candidates & at_least[shared] & !at_least[shared + 1];
                for (other, in_category) in [same, !same].into_iter().enumerate() {
                    if better >= count {
                        break 'buckets;
                    }
                    let bucket = &mut buckets[2 * (most - shared) + other];
                    let mut guides = exactly & in_category;
                    while guides != 0 && bucket.len() < count {
                        bucket.push(word * 64 + guides.trailing_zeros() as usize);
                        guides &= guides - 1;
                    }
                    better += bucket.len();
                }
            }
            if buckets.first().is_some_and(|best| best.len() >= count) {
                break;
            }
        }
        buckets.into_iter().flatten().take(count).collect()
    }
}

/// Shared-topic counts by guide, reused from subject to subject (one per
/// thread): counting is linear where sorting candidates was not.
struct Tally {
    shared: Vec<usize>,
    /// Guides with a count, in the order first counted.
    touched: Vec<usize>,
}

impl Tally {
    fn new(guides: usize) -> Tally {
        Tally {
            shared: vec![0; guides],
            touched: Vec::new(),
        }
    }

    fn add(&mut self, guide: usize) {
        if self.shared[guide] == 0 {
            self.touched.push(guide);
        }
        self.shared[guide] += 1;
    }

    /// Every counted guide with its count; leaves the tally empty.
    fn drain(&mut self) -> impl Iterator<Item = (usize, usize)> + '_ {
        let shared = &mut self.shared;
        self.touched
            .drain(..)
            .map(move |guide| (guide, std::mem::take(&mut shared[guide])))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (no dependency for a test).
    struct Numbers(u64);

    impl Numbers {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n.max(1)
        }
    }

    fn random_guides(
        numbers: &mut Numbers,
        guides: usize,
        topics: usize,
    ) -> Vec<(Vec<usize>, &'static str)> {
        const CATEGORIES: [&str; 4] = ["", "Trust", "Play", ""];
        (0..guides)
            .map(|_| {
                let mut own: Vec<usize> = (0..numbers.below(5))
                    .map(|_| numbers.below(topics))
                    .collect();
                own.sort_unstable();
                own.dedup();
                (own, CATEGORIES[numbers.below(4)])
            })
            .collect()
    }

    #[test]
    fn bits_and_tally_rank_alike() {
        let mut numbers = Numbers(12);
        for case in 0..300 {
            let topics = 1 + numbers.below(12);
            let size = numbers.below(300);
            let owned = random_guides(&mut numbers, size, topics);
            let guides: Vec<(&[usize], &str)> =
                owned.iter().map(|(t, c)| (t.as_slice(), *c)).collect();
            let ranker = Ranker::of(guides.clone(), topics);
            let mut tally = Tally::new(guides.len());
            let count = 1 + numbers.below(6);
            let mut subjects: Vec<Subject> = guides
                .iter()
                .enumerate()
                .map(|(g, &(topics, category))| Subject {
                    topics,
                    category,
                    guide: Some(g),
                })
                .collect();
            let day_topics: Vec<usize> = (0..topics).step_by(2).collect();
            subjects.push(Subject {
                topics: &day_topics,
                category: "Trust",
                guide: None,
            });
            subjects.push(Subject {
                topics: &day_topics,
                category: "",
                guide: None,
            });
            for subject in &subjects {
                assert_eq!(
                    ranker.rank_by_bits(subject, count),
                    ranker.rank_by_tally(subject, count, &mut tally),
                    "case {case}: subject {:?} {:?} {:?}, count {count}",
                    subject.topics,
                    subject.category,
                    subject.guide
                );
            }
        }
    }

    #[test]
    fn more_shared_topics_then_the_same_category_then_the_newest_rank_first() {
        let guides: Vec<(&[usize], &str)> = vec![
            (&[0, 1], "Trust"), // the subject
            (&[0], "Play"),
            (&[0], "Trust"),
            (&[0, 1], "Play"),
            (&[2], "Trust"),
            (&[1], "Play"),
        ];
        let ranker = Ranker::of(guides, 3);
        let subject = Subject {
            topics: &[0, 1],
            category: "Trust",
            guide: Some(0),
        };
        let mut tally = Tally::new(6);
        assert_eq!(ranker.rank_by_bits(&subject, 4), [3, 2, 1, 5]);
        assert_eq!(ranker.rank_by_tally(&subject, 4, &mut tally), [3, 2, 1, 5]);
        // Too few sharing a topic: the newest of the same category follow.
        assert_eq!(ranker.rank(&subject, 6, &mut tally), [3, 2, 1, 5, 4]);
    }
}
