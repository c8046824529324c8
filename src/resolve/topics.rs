//! Topics: names from front matter, one URL per slug; two spellings that
//! make the same slug are an error.

use super::{Guide, Journey};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::front_matter::KeyLines;
use crate::slug::slugify;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct Topic {
    pub name: String,
    pub slug: String,
    /// `topics/<slug>/`
    pub path: String,
    /// Guide indices, newest first.
    pub guides: Vec<usize>,
    /// Journey indices.
    pub journeys: Vec<usize>,
    /// (journey, day) indices, in journey order.
    pub days: Vec<(usize, usize)>,
}

impl Topic {
    pub fn count(&self) -> usize {
        self.guides.len() + self.journeys.len() + self.days.len()
    }

    /// The part of its journeys, then guides, then days that falls in
    /// `items` (positions in that one list).
    pub fn page(&self, items: std::ops::Range<usize>) -> TopicSlice<'_> {
        let journeys = cut(&self.journeys, items.clone(), 0);
        let guides = cut(&self.guides, items.clone(), self.journeys.len());
        let days = cut(&self.days, items, self.journeys.len() + self.guides.len());
        TopicSlice {
            journeys,
            guides,
            days,
        }
    }
}

/// The items of a topic on one page of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopicSlice<'a> {
    pub journeys: &'a [usize],
    pub guides: &'a [usize],
    pub days: &'a [(usize, usize)],
}

/// The part of `items`, which start at position `offset` of a longer list,
/// that falls in `range` of it.
fn cut<T>(items: &[T], range: std::ops::Range<usize>, offset: usize) -> &[T] {
    let start = range.start.saturating_sub(offset).min(items.len());
    let end = range.end.saturating_sub(offset).min(items.len());
    &items[start..end.max(start)]
}

/// The topic names met so far, each with its slug, and the first
/// spelling of each slug with where it was written.
#[derive(Default)]
struct Spellings {
    /// Name → its place in `names` (most names are written on many files).
    slot_of: rapidhash::RapidHashMap<String, usize>,
    names: Vec<Spelling>,
    /// Slug → the place of its first spelling in `names`.
    by_slug: rapidhash::RapidHashMap<String, usize>,
}

struct Spelling {
    name: String,
    slug: String,
    /// Where it was first written, if it is the first spelling of its slug.
    first_in: Option<PathBuf>,
}

impl Spellings {
    /// The place in `names` of the first spelling of `name`'s slug, or an
    /// error if the slug is empty or another spelling has it.
    fn slug_of(&mut self, name: &str, file: &Path, keys: &KeyLines) -> Result<usize, Diagnostic> {
        let slot = match self.slot_of.get(name) {
            Some(&slot) => slot,
            None => {
                let slot = self.names.len();
                self.names.push(Spelling {
                    name: name.to_string(),
                    slug: slugify(name),
                    first_in: None,
                });
                self.slot_of.insert(name.to_string(), slot);
                slot
            }
        };
        let slug = &self.names[slot].slug;
        if slug.is_empty() {
            return Err(Diagnostic::error(
                file,
                format!("topics: \"{name}\" has no letters or digits"),
            )
            .at(keys.line("topics"))
            .help("name topics with words, e.g. `Trust`"));
        }
        match self.by_slug.get(slug) {
            Some(&first) if first == slot => Ok(slot),
            Some(&first) => {
                let first = &self.names[first];
                let first_file = first.first_in.as_deref().unwrap_or(Path::new(""));
                Err(Diagnostic::error(
                    file,
                    format!("topics: \"{name}\" and \"{}\" ({}) make the same topic URL /topics/{slug}/", first.name, first_file.display()),
                )
                .at(keys.line("topics"))
                .help(format!("spell the topic \"{}\" everywhere", first.name)))
            }
            None => {
                self.by_slug.insert(slug.clone(), slot);
                self.names[slot].first_in = Some(file.to_path_buf());
                Ok(slot)
            }
        }
    }
}

/// The topics of each guide, journey and day, as indices into the topic
/// list, for [`Memberships::assign`] to give them.
pub struct Memberships {
    guides: Vec<Vec<usize>>,
    journeys: Vec<Vec<usize>>,
    /// By journey, then day.
    days: Vec<Vec<Vec<usize>>>,
}

impl Memberships {
    /// Sets the `topics` of each guide, journey and day (they were made
    /// from the same lists, in the same order).
    pub fn assign(self, guides: &mut [Guide], journeys: &mut [Journey]) {
        for (guide, topics) in guides.iter_mut().zip(self.guides) {
            guide.topics = topics;
        }
        for ((journey, topics), days) in journeys.iter_mut().zip(self.journeys).zip(self.days) {
            journey.topics = topics;
            for (day, topics) in journey.days.iter_mut().zip(days) {
                day.topics = topics;
            }
        }
    }
}

/// Builds the topic list (by name), and the topics of every guide, journey
/// and day. It only reads the site, so it can run beside other stages.
pub fn collect_topics(
    guides: &[Guide],
    journeys: &[Journey],
    diagnostics: &mut Diagnostics,
) -> (Vec<Topic>, Memberships) {
    let mut spellings = Spellings::default();
    let mut slots_of = |names: &[String], file: &Path, keys: &KeyLines| -> Vec<usize> {
        let mut slots = Vec::with_capacity(names.len());
        for name in names {
            match spellings.slug_of(name, file, keys) {
                Ok(slot) if !slots.contains(&slot) => slots.push(slot),
                Ok(_) => {}
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
        slots
    };
    let guide_slots: Vec<Vec<usize>> = guides
        .iter()
        .map(|g| slots_of(&g.source.front.topics, &g.source.file, &g.source.keys))
        .collect();
    let journey_slots: Vec<Vec<usize>> = journeys
        .iter()
        .map(|j| slots_of(&j.front.topics, &j.file, &j.keys))
        .collect();
    let day_slots: Vec<Vec<Vec<usize>>> = journeys
        .iter()
        .map(|j| {
            j.days
                .iter()
                .map(|d| slots_of(&d.topic_names, &d.file, &d.keys))
                .collect()
        })
        .collect();

    // The topics by name (then slug), and each first spelling's topic.
    let names = &spellings.names;
    let mut ordered: Vec<(String, usize)> = spellings
        .by_slug
        .values()
        .map(|&slot| (names[slot].name.to_lowercase(), slot))
        .collect();
    ordered.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| names[a.1].slug.cmp(&names[b.1].slug))
    });
    let mut index_of = vec![usize::MAX; names.len()];
    for (topic, &(_, slot)) in ordered.iter().enumerate() {
        index_of[slot] = topic;
    }
    let mut topics: Vec<Topic> = ordered
        .iter()
        .map(|&(_, slot)| {
            let Spelling { name, slug, .. } = &names[slot];
            Topic {
                name: name.clone(),
                slug: slug.clone(),
                path: format!("topics/{slug}/"),
                guides: Vec::new(),
                journeys: Vec::new(),
                days: Vec::new(),
            }
        })
        .collect();
    let mut memberships = Memberships {
        guides: vec![Vec::new(); guides.len()],
        journeys: vec![Vec::new(); journeys.len()],
        days: journeys
            .iter()
            .map(|j| vec![Vec::new(); j.days.len()])
            .collect(),
    };
    for (g, slots) in guide_slots.iter().enumerate() {
        for &slot in slots {
            let topic = index_of[slot];
            memberships.guides[g].push(topic);
            topics[topic].guides.push(g);
        }
    }
    for (j, slots) in journey_slots.iter().enumerate() {
        for &slot in slots {
            let topic = index_of[slot];
            memberships.journeys[j].push(topic);
            topics[topic].journeys.push(j);
        }
        for (d, slots) in day_slots[j].iter().enumerate() {
            for &slot in slots {
                let topic = index_of[slot];
                memberships.days[j][d].push(topic);
                topics[topic].days.push((j, d));
            }
        }
    }
    (topics, memberships)
}

#[cfg(test)]
mod page_tests {
    use super::Topic;

    #[test]
    fn a_page_of_a_topic_runs_through_journeys_guides_then_days() {
        let topic = Topic {
            name: "T".into(),
            slug: "t".into(),
            path: "topics/t/".into(),
            guides: vec![10, 11, 12],
            journeys: vec![0],
            days: vec![(0, 0), (0, 1)],
        };
        let first = topic.page(0..2);
        assert_eq!(
            (first.journeys, first.guides, first.days),
            (&[0][..], &[10][..], &[][..])
        );
        let second = topic.page(2..4);
        assert_eq!(
            (second.journeys, second.guides, second.days),
            (&[][..], &[11, 12][..], &[][..])
        );
        let third = topic.page(4..6);
        assert_eq!(third.days, &[(0, 0), (0, 1)][..]);
    }
}
