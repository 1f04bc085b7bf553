//! Date parsing and display, as a table.

use crate::dates::{CivilDate, ResumeDate, display_range};

#[track_caller]
fn check(input: &str, expect: Option<(&str, &str)>) {
    let got = ResumeDate::parse(input).map(|d| (d.canonical(), d.to_string()));
    let expect = expect.map(|(c, d)| (c.to_owned(), d.to_owned()));
    assert_eq!(got, expect, "input {input:?}");
}

#[test]
fn accepted_and_rejected_formats() {
    check("2021-03", Some(("2021-03", "Mar 2021")));
    check("2021-3", Some(("2021-03", "Mar 2021")));
    check("03-2021", Some(("2021-03", "Mar 2021")));
    check("2021/03", Some(("2021-03", "Mar 2021")));
    check("2014-01-06", Some(("2014-01-06", "Jan 2014")));
    check("07-31-2017", Some(("2017-07-31", "Jul 2017")));
    check("2020", Some(("2020", "2020")));
    check("Jan 2020", Some(("2020-01", "Jan 2020")));
    check("September 2019", Some(("2019-09", "Sep 2019")));
    check("sept 2019", Some(("2019-09", "Sep 2019")));
    check("March 14, 2025", Some(("2025-03-14", "Mar 2025")));
    check("14 March 2025", Some(("2025-03-14", "Mar 2025")));
    check("present", Some(("Present", "Present")));
    check("CURRENT", Some(("Present", "Present")));
    check(" Present ", Some(("Present", "Present")));
    check("2020-13", None);
    check("2021-02-29", None);
    check("2020-02-29", Some(("2020-02-29", "Feb 2020")));
    check("Foo 2020", None);
    check("20", None);
    check("2020-01-01-01", None);
    check("", None);
    check("yesterday", None);
}

#[test]
fn dates_people_write_in_their_languages() {
    for (input, canonical) in [
        ("01/2018", "2018-01"),
        ("2018.03", "2018-03"),
        ("2018.03.15", "2018-03-15"),
        ("15.03.2018", "2018-03-15"),
        ("31/12/2019", "2019-12-31"),
        ("Dezember 2024", "2024-12"),
        ("5. März 2021", "2021-03-05"),
        ("janvier 2020", "2020-01"),
        ("déc. 2019", "2019-12"),
        ("enero de 2019", "2019-01"),
        ("março 2017", "2017-03"),
        ("settembre 2016", "2016-09"),
        ("mrt 2015", "2015-03"),
        ("marzec 2014", "2014-03"),
        ("grudnia 2017", "2017-12"),
        ("leden 2018", "2018-01"),
        ("martie 2019", "2019-03"),
        ("Ocak 2020", "2020-01"),
        ("2019. március", "2019-03"),
        ("Μάρτιος 2018", "2018-03"),
        ("январь 2017", "2017-01"),
        ("вересень 2015", "2015-09"),
        ("2019年3月", "2019-03"),
        ("2019年3月1日", "2019-03-01"),
        ("2011年", "2011"),
        ("2020년 3월", "2020-03"),
        ("Mar 2021", "2021-03"),
        ("2019-03-01T00:00:00.000Z", "2019-03-01"),
        ("2019-03-01 00:00:00", "2019-03-01"),
    ] {
        let got = ResumeDate::parse(input).map(|d| d.canonical());
        assert_eq!(got.as_deref(), Some(canonical), "input {input:?}");
    }
    for present in [
        "aktuell",
        "Now",
        "至今",
        "現在",
        "현재",
        "obecnie",
        "heden",
        "présent",
        "Aujourd'hui",
        "actualidad",
        "atual",
        "in corso",
        "současnost",
        "prezent",
        "halen",
        "σήμερα",
        "по настоящее время",
        "дотепер",
        "jelenleg",
        "hiện tại",
        "šobrīd",
    ] {
        assert_eq!(
            ResumeDate::parse(present),
            Some(ResumeDate::Present),
            "{present:?}"
        );
    }
    for junk in ["asd", "", "Summer", "13/13/2020", "2019年13月"] {
        assert_eq!(ResumeDate::parse(junk), None, "{junk:?}");
    }
}

#[test]
fn a_range_in_one_field() {
    use crate::dates::parse_range;
    let r = |s| parse_range(s).map(|(a, b)| (a.canonical(), b.canonical()));
    let pair = |a: &str, b: &str| Some((a.to_owned(), b.to_owned()));
    assert_eq!(r("2018-Present"), pair("2018", "Present"));
    assert_eq!(r("2016 – 2018"), pair("2016", "2018"));
    assert_eq!(r("01/2018 - 03/2020"), pair("2018-01", "2020-03"));
    assert_eq!(r("Jan 2019 to Mar 2020"), pair("2019-01", "2020-03"));
    assert_eq!(r("2015年4月～至今"), pair("2015-04", "Present"));
    assert_eq!(r("2021-03"), None);
    assert_eq!(r("2021-03-05"), None);
}

#[test]
fn ranges() {
    assert_eq!(
        display_range(Some("2021-03"), Some("Present")),
        "Mar 2021 – Present"
    );
    assert_eq!(display_range(Some("2021-03"), None), "Mar 2021 – Present");
    assert_eq!(display_range(None, Some("2013-06")), "Jun 2013");
    assert_eq!(display_range(Some("2019"), Some("2019")), "2019");
    assert_eq!(
        display_range(Some("Summer 2019"), Some("2020")),
        "Summer 2019 – 2020"
    );
}

#[test]
fn civil_dates() {
    assert_eq!(
        CivilDate::from_unix_seconds(0),
        CivilDate {
            year: 1970,
            month: 1,
            day: 1
        }
    );
    assert_eq!(
        CivilDate::from_unix_seconds(1_741_910_400),
        CivilDate {
            year: 2025,
            month: 3,
            day: 14
        }
    );
    assert_eq!(
        CivilDate::from_unix_seconds(951_782_400).long(),
        "February 29, 2000"
    );
}
