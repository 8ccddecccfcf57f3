//! Sorting with one instantiation of the standard sort for the whole crate. Each
//! `sort_by_key` closure instantiates the standard library's sort anew (about 4 KB of wasm
//! each); here every caller maps its items to a `u64` key and shares one sort of `(u64, u32)`.

use crate::Date;

/// Sorts `items` by `key`, keeping the order of equal keys.
pub(crate) fn sort_by_key<T>(items: &mut Vec<T>, key: impl Fn(&T) -> u64) {
    if items.len() < 2 {
        return;
    }
    let mut keyed: Vec<(u64, u32)> = items
        .iter()
        .enumerate()
        .map(|(index, item)| (key(item), index as u32))
        .collect();
    // The pairs are unique (the index breaks ties), so an unstable sort keeps equal keys in order.
    keyed.sort_unstable();
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        keyed
            .into_iter()
            .filter_map(|(_, index)| slots[index as usize].take()),
    );
}

/// A date as a key that sorts in date order: the year above the day of the year (at most 366,
/// nine bits), both of which chrono's packed date holds as they are.
pub(crate) fn date_key(date: Date) -> u64 {
    // Years are 1..=9999: never negative.
    (u64::from(date.year().unsigned_abs()) << 9) | u64::from(date.ordinal())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_by_key_and_keeps_ties_in_order() {
        let mut items = vec![(3, 'a'), (1, 'b'), (3, 'c'), (0, 'd'), (1, 'e')];
        sort_by_key(&mut items, |&(k, _)| k);
        assert_eq!(
            items,
            vec![(0, 'd'), (1, 'b'), (1, 'e'), (3, 'a'), (3, 'c')]
        );
    }

    #[test]
    fn date_keys_follow_dates_across_years() {
        let dates: Vec<Date> = [
            "0001-01-01",
            "0001-12-31",
            "1969-12-31",
            "1970-01-01",
            "2024-12-31",
            "2025-01-01",
            "9999-12-31",
        ]
        .iter()
        .map(|d| d.parse().unwrap())
        .collect();
        assert!(dates.windows(2).all(|w| date_key(w[0]) < date_key(w[1])));
    }
}
