//! Reply dates and holiday computation: `cargo bench -p deskform-core` prints the figures.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use deskform_core::{
    jp_holidays, BusinessCalendar, BusinessDays, Catalog, Date, BUILTIN_CATALOG_JSON,
};

/// Every day of 2026, so that the figures average over weekdays, weekends and holidays.
fn days_of_2026() -> Vec<Date> {
    let first = Date::from_ymd(2026, 1, 1).unwrap();
    (0..365).map(|i| first.add_days(i).unwrap()).collect()
}

fn reply_date(c: &mut Criterion) {
    let calendar = BusinessCalendar::japan();
    let days = days_of_2026();
    // Build the shared holiday table outside the measurement.
    calendar.is_business_day(days[0]);
    let mut group = c.benchmark_group("reply_due_date");
    for n in [1, 2, 60] {
        let within = BusinessDays::new(n).unwrap();
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{n}_business_days")),
            &within,
            |b, &within| {
                let mut i = 0;
                b.iter(|| {
                    i = (i + 1) % days.len();
                    black_box(calendar.reply_due_date(black_box(days[i]), within).unwrap())
                })
            },
        );
    }
    group.finish();

    c.bench_function("is_business_day", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % days.len();
            black_box(calendar.is_business_day(black_box(days[i])))
        })
    });
}

fn holidays(c: &mut Criterion) {
    c.bench_function("holidays_in_year/2026", |b| {
        b.iter(|| black_box(jp_holidays::holidays_in_year(black_box(2026)).unwrap()))
    });
    c.bench_function("holidays_in_year/1955_to_2099", |b| {
        b.iter(|| {
            for year in deskform_core::JP_HOLIDAY_YEARS {
                black_box(jp_holidays::holidays_in_year(black_box(year)).unwrap());
            }
        })
    });
}

fn catalog(c: &mut Criterion) {
    c.bench_function("catalog_from_json/builtin", |b| {
        b.iter(|| black_box(Catalog::from_json(black_box(BUILTIN_CATALOG_JSON)).unwrap()))
    });
}

criterion_group!(benches, reply_date, holidays, catalog);
criterion_main!(benches);
