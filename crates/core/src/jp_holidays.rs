//! Japan's national holidays, computed by the rules of the National Holidays Act
//! (国民の祝日に関する法律) and the special laws for one-off days, for 1955–2099.

use std::fmt;
use std::sync::OnceLock;

use crate::date::{Date, Weekday};
use crate::locale::Locale;

/// The years for which Japanese holidays are known.
pub const JP_HOLIDAY_YEARS: std::ops::RangeInclusive<i32> = 1955..=2099;

/// A named national holiday (国民の祝日) or a one-off day declared by a special law.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NationalHoliday {
    NewYearsDay,
    ComingOfAgeDay,
    NationalFoundationDay,
    EmperorsBirthday,
    VernalEquinoxDay,
    ShowaDay,
    GreeneryDay,
    ConstitutionMemorialDay,
    ChildrensDay,
    MarineDay,
    MountainDay,
    RespectForTheAgedDay,
    AutumnalEquinoxDay,
    HealthAndSportsDay,
    /// 2019 was the last 体育の日; published calendars name it with the new name beside it.
    HealthAndSportsDay2019,
    SportsDay,
    CultureDay,
    LabourThanksgivingDay,
    /// 1959-04-10.
    CrownPrinceAkihitosWedding,
    /// 1989-02-24.
    EmperorShowasFuneral,
    /// 1990-11-12.
    EnthronementCeremony1990,
    /// 1993-06-09.
    CrownPrinceNaruhitosWedding,
    /// 2019-05-01.
    EnthronementDay2019,
    /// 2019-10-22.
    EnthronementCeremony2019,
}

/// What makes a day a holiday.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HolidayKind {
    /// A national holiday by name.
    National(NationalHoliday),
    /// 振替休日: a substitute for a national holiday that fell on a Sunday, named after that
    /// Sunday holiday (in Golden Week that is not the holiday of the day before it).
    Substitute(NationalHoliday),
    /// 国民の休日: a day sandwiched between two national holidays.
    Citizens,
}

/// One holiday: a date and why it is one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Holiday {
    pub date: Date,
    pub kind: HolidayKind,
}

/// A year outside [`JP_HOLIDAY_YEARS`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearOutOfRangeError(pub i32);

impl fmt::Display for YearOutOfRangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Japanese holidays are known for {}–{}, not for {}",
            JP_HOLIDAY_YEARS.start(),
            JP_HOLIDAY_YEARS.end(),
            self.0
        )
    }
}

impl std::error::Error for YearOutOfRangeError {}

impl NationalHoliday {
    /// The holiday's name: in Japanese as the law (and published calendars) write it.
    pub fn name(self, locale: Locale) -> &'static str {
        use NationalHoliday::*;
        let [ja, en, vi] = match self {
            NewYearsDay => ["元日", "New Year's Day", "Tết Dương lịch"],
            ComingOfAgeDay => ["成人の日", "Coming of Age Day", "Ngày Thành nhân"],
            NationalFoundationDay => ["建国記念の日", "National Foundation Day", "Ngày Kiến quốc"],
            EmperorsBirthday => [
                "天皇誕生日",
                "The Emperor's Birthday",
                "Sinh nhật Thiên hoàng",
            ],
            VernalEquinoxDay => ["春分の日", "Vernal Equinox Day", "Ngày Xuân phân"],
            ShowaDay => ["昭和の日", "Shōwa Day", "Ngày Chiêu Hòa"],
            GreeneryDay => ["みどりの日", "Greenery Day", "Ngày Cây xanh"],
            ConstitutionMemorialDay => {
                ["憲法記念日", "Constitution Memorial Day", "Ngày Hiến pháp"]
            }
            ChildrensDay => ["こどもの日", "Children's Day", "Ngày Thiếu nhi"],
            MarineDay => ["海の日", "Marine Day", "Ngày của Biển"],
            MountainDay => ["山の日", "Mountain Day", "Ngày của Núi"],
            RespectForTheAgedDay => ["敬老の日", "Respect for the Aged Day", "Ngày Kính lão"],
            AutumnalEquinoxDay => ["秋分の日", "Autumnal Equinox Day", "Ngày Thu phân"],
            HealthAndSportsDay => ["体育の日", "Health and Sports Day", "Ngày Thể dục"],
            HealthAndSportsDay2019 => [
                "体育の日（スポーツの日）",
                "Health and Sports Day (Sports Day)",
                "Ngày Thể dục (Ngày Thể thao)",
            ],
            SportsDay => ["スポーツの日", "Sports Day", "Ngày Thể thao"],
            CultureDay => ["文化の日", "Culture Day", "Ngày Văn hóa"],
            LabourThanksgivingDay => [
                "勤労感謝の日",
                "Labour Thanksgiving Day",
                "Ngày Cảm tạ Lao động",
            ],
            CrownPrinceAkihitosWedding => [
                "結婚の儀",
                "Wedding of Crown Prince Akihito",
                "Lễ cưới Thái tử Akihito",
            ],
            EmperorShowasFuneral => [
                "大喪の礼",
                "State Funeral of Emperor Shōwa",
                "Quốc tang Thiên hoàng Chiêu Hòa",
            ],
            EnthronementCeremony1990 => {
                ["即位礼正殿の儀", "Enthronement Ceremony", "Lễ đăng quang"]
            }
            CrownPrinceNaruhitosWedding => [
                "結婚の儀",
                "Wedding of Crown Prince Naruhito",
                "Lễ cưới Thái tử Naruhito",
            ],
            EnthronementDay2019 => [
                "休日（祝日扱い）",
                "Enthronement Day",
                "Ngày Thiên hoàng lên ngôi",
            ],
            EnthronementCeremony2019 => {
                ["休日（祝日扱い）", "Enthronement Ceremony", "Lễ đăng quang"]
            }
        };
        match locale {
            Locale::Ja => ja,
            Locale::En => en,
            Locale::Vi => vi,
        }
    }
}

impl HolidayKind {
    /// The name shown to a person, e.g. `こどもの日 振替休日` or `Substitute holiday for Children's Day`.
    pub fn name(self, locale: Locale) -> String {
        match (self, locale) {
            (HolidayKind::National(h), _) => h.name(locale).to_owned(),
            (HolidayKind::Substitute(h), Locale::Ja) => format!("{} 振替休日", h.name(locale)),
            (HolidayKind::Substitute(h), Locale::En) => {
                format!("Substitute holiday for {}", h.name(locale))
            }
            (HolidayKind::Substitute(h), Locale::Vi) => format!("Nghỉ bù {}", h.name(locale)),
            (HolidayKind::Citizens, Locale::Ja) => "休日".to_owned(),
            (HolidayKind::Citizens, Locale::En) => "Citizens' Holiday".to_owned(),
            (HolidayKind::Citizens, Locale::Vi) => "Ngày nghỉ quốc dân".to_owned(),
        }
    }
}

impl Holiday {
    /// The holiday's name in `locale`.
    pub fn name(&self, locale: Locale) -> String {
        self.kind.name(locale)
    }
}

fn ymd(year: i32, month: u32, day: u32) -> Date {
    // Every caller passes a day that exists in a year of JP_HOLIDAY_YEARS.
    Date::from_ymd(year, month, day).unwrap_or(Date::MIN)
}

fn nth_monday(year: i32, month: u32, n: u32) -> Date {
    Date::nth_weekday(year, month, Weekday::Monday, n).unwrap_or(Date::MIN)
}

/// The day in March of the vernal equinox, by the standard approximation.
///
/// Before 1980 the leap-year term is `int((Y - 1983) / 4)`, which truncates towards zero for
/// the negative values; Rust's integer division does the same, a floor would be a day late.
fn vernal_equinox_day(year: i32) -> u32 {
    equinox_day(year, [20_835_700, 20_843_100, 21_851_000])
}

/// The day in September of the autumnal equinox, by the standard approximation.
fn autumnal_equinox_day(year: i32) -> u32 {
    equinox_day(year, [23_258_800, 23_248_800, 24_248_800])
}

fn equinox_day(year: i32, [before_1980, until_2099, until_2150]: [i64; 3]) -> u32 {
    // Fixed point with six decimals so that no float rounding can move a day.
    let y = i64::from(year);
    let drift = 242_194 * (y - 1980);
    let micro_days = match year {
        ..=1979 => before_1980 + drift - 1_000_000 * ((y - 1983) / 4),
        1980..=2099 => until_2099 + drift - 1_000_000 * ((y - 1980) / 4),
        _ => until_2150 + drift - 1_000_000 * ((y - 1980) / 4),
    };
    micro_days.div_euclid(1_000_000) as u32
}

/// The named national holidays and one-off days of `year`, sorted.
fn national_holidays(year: i32) -> Vec<(Date, NationalHoliday)> {
    use NationalHoliday::*;
    let mut days = vec![(ymd(year, 1, 1), NewYearsDay)];
    days.push(match year {
        ..=1999 => (ymd(year, 1, 15), ComingOfAgeDay),
        _ => (nth_monday(year, 1, 2), ComingOfAgeDay),
    });
    if year >= 1967 {
        days.push((ymd(year, 2, 11), NationalFoundationDay));
    }
    if year >= 2020 {
        days.push((ymd(year, 2, 23), EmperorsBirthday));
    }
    days.push((ymd(year, 3, vernal_equinox_day(year)), VernalEquinoxDay));
    days.push(match year {
        ..=1988 => (ymd(year, 4, 29), EmperorsBirthday),
        1989..=2006 => (ymd(year, 4, 29), GreeneryDay),
        _ => (ymd(year, 4, 29), ShowaDay),
    });
    days.push((ymd(year, 5, 3), ConstitutionMemorialDay));
    if year >= 2007 {
        days.push((ymd(year, 5, 4), GreeneryDay));
    }
    days.push((ymd(year, 5, 5), ChildrensDay));
    match year {
        1996..=2002 => days.push((ymd(year, 7, 20), MarineDay)),
        // The Tokyo Olympics moved three holidays in 2020 and again in 2021.
        2020 => days.extend([
            (ymd(year, 7, 23), MarineDay),
            (ymd(year, 7, 24), SportsDay),
            (ymd(year, 8, 10), MountainDay),
        ]),
        2021 => days.extend([
            (ymd(year, 7, 22), MarineDay),
            (ymd(year, 7, 23), SportsDay),
            (ymd(year, 8, 8), MountainDay),
        ]),
        2003.. => days.push((nth_monday(year, 7, 3), MarineDay)),
        _ => {}
    }
    if (2016..=2019).contains(&year) || year >= 2022 {
        days.push((ymd(year, 8, 11), MountainDay));
    }
    match year {
        1966..=2002 => days.push((ymd(year, 9, 15), RespectForTheAgedDay)),
        2003.. => days.push((nth_monday(year, 9, 3), RespectForTheAgedDay)),
        _ => {}
    }
    days.push((ymd(year, 9, autumnal_equinox_day(year)), AutumnalEquinoxDay));
    match year {
        1966..=1999 => days.push((ymd(year, 10, 10), HealthAndSportsDay)),
        2000..=2018 => days.push((nth_monday(year, 10, 2), HealthAndSportsDay)),
        2019 => days.push((nth_monday(year, 10, 2), HealthAndSportsDay2019)),
        2022.. => days.push((nth_monday(year, 10, 2), SportsDay)),
        _ => {}
    }
    days.push((ymd(year, 11, 3), CultureDay));
    days.push((ymd(year, 11, 23), LabourThanksgivingDay));
    if (1989..=2018).contains(&year) {
        days.push((ymd(year, 12, 23), EmperorsBirthday));
    }
    days.extend(match year {
        1959 => Some((ymd(1959, 4, 10), CrownPrinceAkihitosWedding)),
        1989 => Some((ymd(1989, 2, 24), EmperorShowasFuneral)),
        1990 => Some((ymd(1990, 11, 12), EnthronementCeremony1990)),
        1993 => Some((ymd(1993, 6, 9), CrownPrinceNaruhitosWedding)),
        2019 => Some((ymd(2019, 5, 1), EnthronementDay2019)),
        _ => None,
    });
    if year == 2019 {
        days.push((ymd(2019, 10, 22), EnthronementCeremony2019));
    }
    crate::order::sort_by_key(&mut days, |&(date, _)| crate::order::date_key(date));
    days
}

/// Every holiday of `year`, sorted by date.
pub fn holidays_in_year(year: i32) -> Result<Vec<Holiday>, YearOutOfRangeError> {
    if !JP_HOLIDAY_YEARS.contains(&year) {
        return Err(YearOutOfRangeError(year));
    }
    let national = national_holidays(year);
    let is_national = |date: Date| national.binary_search_by_key(&date, |&(d, _)| d).is_ok();
    let mut holidays: Vec<Holiday> = national
        .iter()
        .map(|&(date, h)| Holiday {
            date,
            kind: HolidayKind::National(h),
        })
        .collect();

    // 振替休日, in force from 1973-04-12.
    let substitutes_from = ymd(1973, 4, 12);
    let mut substitutes = Vec::new();
    for &(date, sunday_holiday) in &national {
        if date < substitutes_from || date.weekday() != Weekday::Sunday {
            continue;
        }
        let Some(mut day) = date.next() else { continue };
        if year >= 2007 {
            // From 2007: the first following day that is not itself a national holiday.
            while is_national(day) {
                day = day.next().unwrap_or(Date::MAX);
            }
        } else if is_national(day) {
            // Before 2007 only the Monday could be one, and a holiday already is one.
            continue;
        }
        if day.year() == year {
            substitutes.push(day);
            holidays.push(Holiday {
                date: day,
                kind: HolidayKind::Substitute(sunday_holiday),
            });
        }
    }

    // 国民の休日, in force from 1985-12-27: a day between two national holidays. Before 2007 a
    // Sunday or a substitute holiday did not count as one.
    if year >= 1986 {
        for window in national.windows(2) {
            let (before, after) = (window[0].0, window[1].0);
            let Some(day) = before.next().filter(|day| day.next() == Some(after)) else {
                continue;
            };
            let excluded =
                substitutes.contains(&day) || (year < 2007 && day.weekday() == Weekday::Sunday);
            if !excluded {
                holidays.push(Holiday {
                    date: day,
                    kind: HolidayKind::Citizens,
                });
            }
        }
    }
    crate::order::sort_by_key(&mut holidays, |h| crate::order::date_key(h.date));
    Ok(holidays)
}

/// Every holiday of [`JP_HOLIDAY_YEARS`], computed once and looked up in constant time.
pub struct JpHolidayTable {
    /// For each year of [`JP_HOLIDAY_YEARS`], one bit per day of the year (366 bits, the first
    /// for 1 January): set on a holiday. Indexed by year and day of the year rather than by a
    /// day number, which chrono's dates would compute on every lookup.
    bits: Vec<[u64; 6]>,
    holidays: Vec<Holiday>,
    /// Index into `holidays` of each year's first holiday, plus one past the end.
    year_starts: Vec<usize>,
}

impl fmt::Debug for JpHolidayTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JpHolidayTable")
            .field("holidays", &self.holidays.len())
            .finish_non_exhaustive()
    }
}

impl JpHolidayTable {
    /// The shared table, built on first use (about a hundred microseconds).
    pub fn get() -> &'static JpHolidayTable {
        static TABLE: OnceLock<JpHolidayTable> = OnceLock::new();
        TABLE.get_or_init(JpHolidayTable::build)
    }

    fn build() -> JpHolidayTable {
        let mut bits = Vec::with_capacity(JP_HOLIDAY_YEARS.count());
        let mut holidays = Vec::with_capacity(20 * JP_HOLIDAY_YEARS.count());
        let mut year_starts = Vec::with_capacity(JP_HOLIDAY_YEARS.count() + 1);
        for year in JP_HOLIDAY_YEARS {
            year_starts.push(holidays.len());
            let mut days = [0u64; 6];
            for holiday in holidays_in_year(year).unwrap_or_default() {
                let day = holiday.date.ordinal() as usize - 1;
                days[day / 64] |= 1 << (day % 64);
                holidays.push(holiday);
            }
            bits.push(days);
        }
        year_starts.push(holidays.len());
        JpHolidayTable {
            bits,
            holidays,
            year_starts,
        }
    }

    /// Whether `date` is a holiday (false outside [`JP_HOLIDAY_YEARS`]).
    #[inline]
    pub fn is_holiday(&self, date: Date) -> bool {
        let Ok(year) = usize::try_from(date.year() - JP_HOLIDAY_YEARS.start()) else {
            return false;
        };
        let day = date.ordinal() as usize - 1;
        self.bits
            .get(year)
            .is_some_and(|days| days[day / 64] & (1 << (day % 64)) != 0)
    }

    /// The holiday on `date`, if it is one.
    pub fn holiday_on(&self, date: Date) -> Option<Holiday> {
        if !self.is_holiday(date) {
            return None;
        }
        let year = self.in_year(date.year());
        year.binary_search_by_key(&date, |h| h.date)
            .ok()
            .map(|i| year[i])
    }

    /// The holidays of `year`, sorted (empty outside [`JP_HOLIDAY_YEARS`]).
    pub fn in_year(&self, year: i32) -> &[Holiday] {
        if !JP_HOLIDAY_YEARS.contains(&year) {
            return &[];
        }
        let i = (year - JP_HOLIDAY_YEARS.start()) as usize;
        &self.holidays[self.year_starts[i]..self.year_starts[i + 1]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(year: i32) -> Vec<String> {
        holidays_in_year(year)
            .unwrap()
            .iter()
            .map(|h| format!("{} {}", h.date, h.name(Locale::Ja)))
            .collect()
    }

    #[test]
    fn equinoxes_before_1980_truncate_towards_zero() {
        // Checked against the National Astronomical Observatory of Japan's tables.
        assert_eq!(vernal_equinox_day(1960), 20);
        assert_eq!(vernal_equinox_day(1978), 21);
        assert_eq!(autumnal_equinox_day(1955), 24);
        assert_eq!(autumnal_equinox_day(1979), 24);
        assert_eq!(vernal_equinox_day(2025), 20);
        assert_eq!(autumnal_equinox_day(2026), 23);
        assert_eq!(vernal_equinox_day(2099), 20);
        assert_eq!(autumnal_equinox_day(2099), 23);
    }

    #[test]
    fn the_2019_imperial_transition() {
        let may = names(2019)
            .into_iter()
            .filter(|n| n.starts_with("2019-04-3") || n.starts_with("2019-05"))
            .collect::<Vec<_>>();
        assert_eq!(
            may,
            [
                "2019-04-30 休日",
                "2019-05-01 休日（祝日扱い）",
                "2019-05-02 休日",
                "2019-05-03 憲法記念日",
                "2019-05-04 みどりの日",
                "2019-05-05 こどもの日",
                "2019-05-06 こどもの日 振替休日",
            ]
        );
        assert!(!names(2019).iter().any(|n| n.contains("天皇誕生日")));
    }

    #[test]
    fn a_substitute_is_named_after_the_sunday_holiday_it_replaces() {
        // Sunday 3 May 2026 is Constitution Memorial Day; 4 and 5 May are holidays themselves,
        // so its substitute is Wednesday the 6th, the day after Children's Day.
        let substitute = holidays_in_year(2026)
            .unwrap()
            .into_iter()
            .find(|h| h.date == ymd(2026, 5, 6))
            .unwrap();
        assert_eq!(
            substitute.kind,
            HolidayKind::Substitute(NationalHoliday::ConstitutionMemorialDay)
        );
        assert_eq!(substitute.name(Locale::Ja), "憲法記念日 振替休日");
        assert_eq!(
            substitute.name(Locale::En),
            "Substitute holiday for Constitution Memorial Day"
        );
        assert_eq!(substitute.name(Locale::Vi), "Nghỉ bù Ngày Hiến pháp");

        // Every year of the table whose 6 May substitutes 3 or 4 May, whichever was the Sunday.
        for (year, sunday) in [
            (2008, "みどりの日"),
            (2009, "憲法記念日"),
            (2014, "みどりの日"),
            (2015, "憲法記念日"),
            (2020, "憲法記念日"),
            (2025, "みどりの日"),
            (2026, "憲法記念日"),
            (2031, "みどりの日"),
            (2036, "みどりの日"),
            (2037, "憲法記念日"),
            (2042, "みどりの日"),
            (2043, "憲法記念日"),
            (2048, "憲法記念日"),
        ] {
            let expected = format!("{year}-05-06 {sunday} 振替休日");
            assert!(names(year).contains(&expected), "{expected}");
        }
    }

    #[test]
    fn years_outside_the_range_are_an_error() {
        assert_eq!(holidays_in_year(1954), Err(YearOutOfRangeError(1954)));
        assert_eq!(holidays_in_year(2100), Err(YearOutOfRangeError(2100)));
        assert!(JpHolidayTable::get().in_year(2100).is_empty());
        assert!(!JpHolidayTable::get().is_holiday(ymd(2100, 1, 1)));
        assert!(!JpHolidayTable::get().is_holiday(ymd(1954, 1, 1)));
    }

    #[test]
    fn table_agrees_with_direct_computation() {
        let table = JpHolidayTable::get();
        for year in JP_HOLIDAY_YEARS {
            let direct = holidays_in_year(year).unwrap();
            assert_eq!(table.in_year(year), direct.as_slice());
            let mut day = ymd(year, 1, 1);
            while day.year() == year {
                let expected = direct.iter().find(|h| h.date == day).copied();
                assert_eq!(table.holiday_on(day), expected, "{day}");
                day = day.next().unwrap();
            }
        }
    }
}
