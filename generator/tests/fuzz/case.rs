//! One input: iteration `i` of a session is a seed as it is (below the number of seeds)
//! or a seed mutated with a PRNG seeded from `i` and `FUZZ_SEED`.

use crate::mutate::{mutate_options, mutate_text, mutate_tree};
use crate::options::{OPTIONS_PREFIX, options_line, options_of};
use crate::rng::Rng;
use crate::seeds::Seed;

pub(crate) struct Case {
    /// Index of the seed in the session's seed list.
    pub(crate) seed: usize,
    pub(crate) text: String,
    pub(crate) options: generator::Options,
    pub(crate) mutations: Vec<String>,
}

impl Case {
    /// The text as saved: options first when they are not the defaults.
    pub(crate) fn saved_text(&self) -> String {
        match options_line(&self.options) {
            Some(line) if !self.text.starts_with(OPTIONS_PREFIX) => format!("{line}{}", self.text),
            _ => self.text.clone(),
        }
    }
}

/// Iterations below the number of seeds run the seeds as they are.
pub(crate) fn make_case(iteration: u64, base_seed: u64, seeds: &[Seed]) -> Case {
    if (iteration as usize) < seeds.len() {
        let seed = iteration as usize;
        let text = seeds[seed].text.clone();
        return Case { seed, options: options_of(&text), text, mutations: vec!["(unmutated)".into()] };
    }
    let mut rng = Rng::new(iteration ^ base_seed.wrapping_mul(0xD6E8_FEB8_6659_FD93));
    let seed = pick_seed(&mut rng, seeds);
    let mut mutations = Vec::new();
    let mut options = options_of(&seeds[seed].text);
    let structural = seeds[seed].tree().is_some() && !rng.one_in(12);
    let mut text = if structural {
        let mut tree = seeds[seed].tree().unwrap().clone();
        for _ in 0..rng.small(1, 5) {
            mutate_tree(&mut rng, &mut tree, &mut mutations);
        }
        mutate_options(&mut rng, &tree, &mut options, &mut mutations);
        match rng.below(10) {
            0..=6 => serde_yaml::to_string(&tree).unwrap_or_else(|_| tree.to_string()),
            7 | 8 => serde_json::to_string_pretty(&tree).unwrap(),
            _ => tree.to_string(),
        }
    } else {
        seeds[seed].text.clone()
    };
    if !structural || rng.one_in(5) {
        for _ in 0..rng.small(1, 3) {
            text = mutate_text(&mut rng, &text, &mut mutations);
        }
    }
    Case { seed, text, options, mutations }
}

/// A seed drawn by weight (regression repros have none and are never drawn).
fn pick_seed(rng: &mut Rng, seeds: &[Seed]) -> usize {
    let total: usize = seeds.iter().map(|s| s.weight).sum();
    let mut ticket = rng.below(total);
    seeds
        .iter()
        .position(|s| {
            if ticket < s.weight {
                true
            } else {
                ticket -= s.weight;
                false
            }
        })
        .unwrap_or(0)
}
