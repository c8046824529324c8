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
struct Ranker<'a> {
    site: &'a Site,
    by_topic: Vec<Vec<usize>>,
}

impl<'a> Ranker<'a> {
    fn new(site: &'a Site) -> Self {
        let mut by_topic = vec![Vec::new(); site.topics.len()];
        for (g, guide) in site.guides.iter().enumerate() {
            for &topic in &guide.topics {
                by_topic[topic].push(g);
            }
        }
        Ranker { site, by_topic }
    }

    /// Ranking key: shared topics, same category, newest, then site order
    /// (guides are stored newest first, so a lower index wins a tie).
    fn key(
        &self,
        subject: &Subject,
        guide: usize,
        shared: usize,
    ) -> (Reverse<usize>, Reverse<bool>, usize) {
        let same_category = !subject.category.is_empty()
            && self.site.guides[guide].source.front.category == subject.category;
        (Reverse(shared), Reverse(same_category), guide)
    }

    fn rank(&self, subject: &Subject, count: usize, tally: &mut Tally) -> Vec<usize> {
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
        let mut related: Vec<usize> = best.into_iter().map(|(_, _, g)| g).collect();
        // Too few: fill with the newest guides of the same category.
        if related.len() < count && !subject.category.is_empty() {
            let more = self.site.guides.iter().enumerate().filter(|(g, guide)| {
                Some(*g) != subject.guide
                    && guide.source.front.category == subject.category
                    && !related.contains(g)
            });
            let missing = count - related.len();
            let more: Vec<usize> = more.take(missing).map(|(g, _)| g).collect();
            related.extend(more);
        }
        related
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
