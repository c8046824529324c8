//! Related guides for every guide and day: most shared topics first, then
//! the same category, then the newest; never the page itself.

use super::Site;
use rayon::prelude::*;
use std::cmp::Reverse;

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
    let guide_lists: Vec<Vec<usize>> = (0..site.guides.len())
        .into_par_iter()
        .map(|g| {
            let guide = &site.guides[g];
            ranker.rank(
                &Subject {
                    topics: &guide.topics,
                    category: &guide.source.front.category,
                    guide: Some(g),
                },
                count,
            )
        })
        .collect();
    let day_lists: Vec<Vec<Vec<usize>>> = site
        .journeys
        .iter()
        .map(|journey| {
            journey
                .days
                .par_iter()
                .map(|day| {
                    ranker.rank(
                        &Subject {
                            topics: &day.topics,
                            category: &journey.front.category,
                            guide: None,
                        },
                        count,
                    )
                })
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

    fn rank(&self, subject: &Subject, count: usize) -> Vec<usize> {
        // Guides sharing a topic; after sorting, a guide's run length is
        // how many topics it shares.
        let mut candidates: Vec<usize> = subject
            .topics
            .iter()
            .flat_map(|&topic| self.by_topic[topic].iter().copied())
            .filter(|&guide| Some(guide) != subject.guide)
            .collect();
        candidates.sort_unstable();
        let shared = candidates
            .chunk_by(|a, b| a == b)
            .map(|run| (run[0], run.len()));
        let mut ranked: Vec<_> = shared.map(|(g, n)| (self.key(subject, g, n), g)).collect();
        ranked.sort_unstable();
        let mut related: Vec<usize> = ranked.into_iter().take(count).map(|(_, g)| g).collect();
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
