//! The computed holidays equal the published table for 1970–2050, name for name.

use deskform_core::jp_holidays::holidays_in_year;
use deskform_core::Locale;

const FIXTURE: &str = "../../../shared/fixtures/jp-holidays-1970-2050.yml";

fn fixture_lines() -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty() && *l != "---")
        .map(str::to_owned)
        .collect()
}

#[test]
fn equals_the_published_table_1970_to_2050() {
    let expected = fixture_lines();
    assert_eq!(expected.len(), 1329, "fixture changed shape");
    let computed: Vec<String> = (1970..=2050)
        .flat_map(|y| holidays_in_year(y).unwrap())
        .map(|h| format!("{}: {}", h.date, h.name(Locale::Ja)))
        .collect();
    let missing: Vec<_> = expected.iter().filter(|l| !computed.contains(l)).collect();
    let extra: Vec<_> = computed.iter().filter(|l| !expected.contains(l)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing from computation: {missing:#?}\nnot in the table: {extra:#?}"
    );
    assert_eq!(computed, expected);
}
