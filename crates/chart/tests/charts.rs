//! Integration tests of the charts: structure, not pixels. Each file format is parsed
//! back (SVG as XML, PNG decoded, PDF opened, CSV summed) and checked against the
//! database it was drawn from.

use chrono::NaiveDate;
use demarche_chart::{
    export, query, AccusationGrouping, Body, Chart, ChartError, ChartKind, ChartSpec, Filters, Format,
    MentionMeasure, Provenance, Ranking, RenderSize,
};
use demarche_doc::{Encoding, Format as DocFormat, MetaSource, Metadata, ReadStatement, Sourced};
use demarche_extract::{Accusation, Analysis, Mention, MentionKind};
use demarche_store::{FileFacts, NewStatement, Store};

/// One seeded statement: date, source, text, mentioned codes, (accuser, accused, categories).
struct Seed<'a> {
    date: &'a str,
    source: &'a str,
    text: &'a str,
    mentions: &'a [&'a str],
    accusations: &'a [(&'a str, &'a str, &'a [&'a str])],
}

fn insert(store: &mut Store, path: &str, seed: &Seed) {
    let read = ReadStatement {
        format: DocFormat::Text,
        encoding: Some(Encoding::Utf8),
        text: seed.text.to_string(),
        meta: Metadata {
            title: Some(Sourced::new(format!("Statement of {}", seed.date), MetaSource::FirstLine)),
            date: Some(Sourced::new(seed.date.parse().unwrap(), MetaSource::FrontMatter)),
            source: Some(Sourced::new(seed.source.to_string(), MetaSource::FrontMatter)),
            ..Metadata::default()
        },
    };
    let mentions = seed
        .mentions
        .iter()
        .map(|code| Mention {
            start: 0,
            end: 2,
            text: code.to_string(),
            country: code.to_string(),
            kind: if code.len() > 2 || *code == "UN" || *code == "EU" {
                MentionKind::Organisation
            } else {
                MentionKind::Name
            },
            sentence_start: 0,
            sentence_end: seed.text.len(),
        })
        .collect();
    let accusations = seed
        .accusations
        .iter()
        .map(|(accuser, accused, categories)| Accusation {
            start: 0,
            end: seed.text.len(),
            sentence: seed.text.to_string(),
            accuser: accuser.to_string(),
            accused: accused.to_string(),
            categories: categories.iter().map(|c| c.to_string()).collect(),
            cue: "accused".into(),
        })
        .collect();
    let analysis = Analysis { mentions, accusations };
    let sha = format!("{:064x}", {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (path, seed.date, seed.text).hash(&mut hasher);
        hasher.finish()
    });
    let statement = NewStatement {
        sha256: &sha,
        path,
        item: 0,
        file: FileFacts { size: 1, modified_ns: None },
        read: &read,
        analysis: &analysis,
    };
    store.insert_statement(&statement).unwrap();
}

const SEEDS: &[Seed] = &[
    Seed {
        date: "2024-01-03",
        source: "MFA Azerbaijan",
        text: "Armenia violated the ceasefire near Lachin.",
        mentions: &["AM", "AM", "AZ"],
        accusations: &[("AZ", "AM", &["ceasefire_violation"])],
    },
    Seed {
        date: "2024-01-10",
        source: "MFA Armenia",
        text: "Azerbaijan shelled villages; Russia stayed silent.",
        mentions: &["AZ", "RU", "AM"],
        accusations: &[("AM", "AZ", &["shelling", "ceasefire_violation"]), ("AM", "RU", &[])],
    },
    Seed {
        date: "2024-02-14",
        source: "Kremlin",
        text: "The talks in Moscow with Armenia and Azerbaijan continue under the UN.",
        mentions: &["RU", "AM", "AZ", "UN"],
        accusations: &[],
    },
    Seed {
        date: "2024-03-01",
        source: "MFA Azerbaijan",
        text: "France arms Armenia, Azerbaijan says.",
        mentions: &["FR", "AM", "AZ", "AZ"],
        accusations: &[("AZ", "FR", &["arms_supply"]), ("AZ", "AM", &["provocation"])],
    },
    Seed {
        date: "2024-03-20",
        source: "Elysée",
        text: "France calls on the UN and the EU.",
        mentions: &["FR", "UN", "EU", "UN", "UN"],
        accusations: &[],
    },
];

fn seeded() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    for (index, seed) in SEEDS.iter().enumerate() {
        insert(&mut store, &format!("/inbox/{index}.txt"), seed);
    }
    store
}

fn codes(list: &str) -> Vec<String> {
    list.split(',').filter(|code| !code.is_empty()).map(String::from).collect()
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn spec(kind: ChartKind, filters: Filters) -> ChartSpec {
    ChartSpec::new(kind, filters)
}

fn exported(store: &Store, chart: &Chart, format: Format, size: RenderSize) -> Vec<u8> {
    let provenance = Provenance::collect(store.connection(), chart).unwrap();
    export(chart, &provenance, format, size).unwrap().bytes
}

const SMALL: RenderSize = RenderSize { width: 640, height: 400, scale: 1.0 };

fn svg_texts(svg: &str) -> (Vec<String>, String) {
    let document = roxmltree::Document::parse(svg).expect("the SVG parses");
    let texts = document
        .descendants()
        .filter(|node| node.has_tag_name("text"))
        .map(|node| node.text().unwrap_or_default().trim().to_string())
        .collect();
    let desc = document
        .descendants()
        .find(|node| node.has_tag_name("desc"))
        .and_then(|node| node.text())
        .unwrap_or_default()
        .to_string();
    (texts, desc)
}

#[test]
fn svg_holds_series_axis_labels_caption_and_provenance() {
    let store = seeded();
    let filters = Filters { countries: codes("AM,AZ,RU"), ..Filters::default() };
    let mut mentions = spec(ChartKind::Mentions(MentionMeasure::Count), filters);
    mentions.bucket = Some(demarche_chart::Bucket::Month);
    let chart = query(store.connection(), &mentions).unwrap();
    let svg = String::from_utf8(exported(&store, &chart, Format::Svg, SMALL)).unwrap();
    let (texts, desc) = svg_texts(&svg);
    for expected in ["Country mentions, per month", "Armenia", "Azerbaijan", "Russia", "Mentions", "Month"] {
        assert!(texts.iter().any(|text| text == expected), "{expected:?} missing from {texts:?}");
    }
    assert!(texts.iter().any(|text| text.starts_with("Dates: 3 Jan 2024 to 20 Mar 2024")), "{texts:?}");
    assert!(texts.iter().any(|text| text == "Jan 2024"), "month ticks: {texts:?}");
    assert!(desc.contains("Statements in database: 5"), "{desc}");
    assert!(desc.contains("Software: Démarche "), "{desc}");
    assert!(desc.contains("Date range: 2024-01-03 to 2024-03-20"), "{desc}");
}

#[test]
fn every_chart_kind_draws_its_names() {
    let store = seeded();
    let check = |kind: ChartKind, expected: &[&str]| {
        let chart = query(store.connection(), &spec(kind, Filters::default())).unwrap();
        assert!(!chart.is_empty(), "{kind:?}");
        let svg = String::from_utf8(exported(&store, &chart, Format::Svg, SMALL)).unwrap();
        let (texts, _) = svg_texts(&svg);
        for name in expected {
            assert!(texts.iter().any(|text| text == name), "{kind:?}: {name:?} missing from {texts:?}");
        }
    };
    check(ChartKind::Accusations(AccusationGrouping::Accused), &["Armenia", "France", "Accusations"]);
    check(ChartKind::Accusations(AccusationGrouping::Category), &["ceasefire violation", "uncategorised"]);
    check(ChartKind::Ranking(Ranking::Mentioned), &["Most mentioned countries", "Armenia", "France"]);
    check(ChartKind::Ranking(Ranking::Accusing), &["Azerbaijan", "Armenia", "Accusations made"]);
    check(ChartKind::Matrix, &["Who accuses whom", "Accuser", "Accused", "Azerbaijan"]);
}

#[test]
fn png_decodes_at_size_times_scale_with_provenance() {
    let store = seeded();
    let chart = query(store.connection(), &spec(ChartKind::Matrix, Filters::default())).unwrap();
    for scale in [1.0, 2.0, 3.0] {
        let bytes = exported(&store, &chart, Format::Png, RenderSize { scale, ..SMALL });
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let info = reader.info();
        assert_eq!((info.width, info.height), ((640.0 * scale) as u32, (400.0 * scale) as u32));
        let description = info.utf8_text.iter().find(|chunk| chunk.keyword == "Description").unwrap();
        let text = description.get_text().unwrap();
        assert!(
            text.contains("Title: Who accuses whom") && text.contains("Statements in database: 5"),
            "{text}"
        );
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut pixels).unwrap();
        assert!(pixels.iter().any(|&value| value < 128), "something dark was drawn");
    }
}

#[test]
fn pdf_has_one_page_with_the_title_and_provenance() {
    let store = seeded();
    let chart =
        query(store.connection(), &spec(ChartKind::Ranking(Ranking::Accused), Filters::default())).unwrap();
    let bytes = exported(&store, &chart, Format::Pdf, SMALL);
    let document = lopdf::Document::load_mem(&bytes).unwrap();
    assert_eq!(document.get_pages().len(), 1);
    // svg2pdf places glyphs one by one; the reader breaks lines between them.
    let text = document.extract_text(&[1]).unwrap().replace('\n', "");
    assert!(text.contains("Most accused countries"), "page text: {text:?}");
    let info = document.trailer.get(b"Info").and_then(lopdf::Object::as_reference).unwrap();
    let info = document.get_dictionary(info).unwrap();
    let read = |key: &[u8]| lopdf::decode_text_string(info.get(key).unwrap()).unwrap();
    assert_eq!(read(b"Title"), "Most accused countries");
    assert!(read(b"Creator").starts_with("Démarche "));
    assert!(read(b"Keywords").contains("Statements in database: 5"));
}

/// The CSV's value column summed (comment lines skipped).
fn csv_total(csv: &str) -> f64 {
    csv.lines()
        .filter(|line| !line.starts_with('#'))
        .skip(1)
        .map(|line| line.rsplit(',').next().unwrap().parse::<f64>().unwrap())
        .sum()
}

#[test]
fn csv_totals_equal_direct_sql_counts() {
    let store = seeded();
    let conn = store.connection();
    let count = |sql: &str| -> f64 { conn.query_row(sql, [], |row| row.get::<_, i64>(0)).unwrap() as f64 };
    let current = "JOIN statements s ON s.id = statement_id AND s.superseded_at IS NULL";
    let check = |kind: ChartKind, filters: Filters, sql: String| {
        let chart = query(conn, &spec(kind, filters.clone())).unwrap();
        let csv = String::from_utf8(exported(&store, &chart, Format::Csv, SMALL)).unwrap();
        assert_eq!(csv_total(&csv), count(&sql), "{kind:?} {filters:?}\n{csv}");
    };
    let mentions = ChartKind::Mentions(MentionMeasure::Count);
    check(
        mentions,
        Filters { countries: codes("AM,AZ"), ..Filters::default() },
        format!("SELECT count(*) FROM mentions {current} WHERE country IN ('AM','AZ')"),
    );
    check(
        mentions,
        Filters { countries: codes("AM,AZ"), source: Some("mfa azerbaijan".into()), ..Filters::default() },
        format!("SELECT count(*) FROM mentions {current} WHERE country IN ('AM','AZ') AND s.source = 'MFA Azerbaijan'"),
    );
    check(
        mentions,
        Filters { countries: codes("FR"), query: Some("france".into()), ..Filters::default() },
        format!("SELECT count(*) FROM mentions {current} WHERE country = 'FR'"),
    );
    check(
        mentions,
        Filters { countries: codes("AM"), from: Some(day("2024-01-05")), to: Some(day("2024-02-28")), ..Filters::default() },
        format!("SELECT count(*) FROM mentions {current} WHERE country = 'AM' AND s.date BETWEEN '2024-01-05' AND '2024-02-28'"),
    );
    check(
        ChartKind::Mentions(MentionMeasure::Statements),
        Filters { countries: codes("AM,RU"), accusers: codes("AM"), ..Filters::default() },
        "SELECT count(DISTINCT m.statement_id || m.country) FROM mentions m JOIN statements s ON s.id = m.statement_id
         WHERE m.country IN ('AM','RU') AND EXISTS (SELECT 1 FROM accusations a WHERE a.statement_id = s.id AND a.accuser = 'AM')"
            .to_string(),
    );
    let accused = ChartKind::Accusations(AccusationGrouping::Accused);
    check(accused, Filters::default(), format!("SELECT count(*) FROM accusations {current}"));
    check(
        accused,
        Filters { accusers: codes("AZ"), ..Filters::default() },
        format!("SELECT count(*) FROM accusations {current} WHERE accuser = 'AZ'"),
    );
    check(
        ChartKind::Accusations(AccusationGrouping::Category),
        Filters { categories: codes("ceasefire_violation"), ..Filters::default() },
        "SELECT count(*) FROM accusation_categories WHERE category = 'ceasefire_violation'".to_string(),
    );
    check(
        ChartKind::Ranking(Ranking::Accusing),
        Filters { categories: codes("provocation,shelling"), ..Filters::default() },
        "SELECT count(DISTINCT accusation_id) FROM accusation_categories WHERE category IN ('provocation','shelling')"
            .to_string(),
    );
    check(ChartKind::Matrix, Filters::default(), format!("SELECT count(*) FROM accusations {current}"));
    check(
        ChartKind::Matrix,
        Filters { countries: codes("FR"), ..Filters::default() },
        format!("SELECT count(*) FROM accusations {current} WHERE accuser = 'FR' OR accused = 'FR'"),
    );
}

#[test]
fn aggregates_and_base_tables_give_the_same_series() {
    let store = seeded();
    // A query matching every statement forces the base tables without changing the answer.
    let everything = Some("the OR armenia OR azerbaijan OR france".to_string());
    for kind in [
        ChartKind::Mentions(MentionMeasure::Count),
        ChartKind::Mentions(MentionMeasure::Share),
        ChartKind::Accusations(AccusationGrouping::Accused),
        ChartKind::Ranking(Ranking::Mentioned),
        ChartKind::Ranking(Ranking::Accusing),
    ] {
        let aggregated = query(store.connection(), &spec(kind, Filters::default())).unwrap();
        let based = query(
            store.connection(),
            &spec(kind, Filters { query: everything.clone(), ..Filters::default() }),
        )
        .unwrap();
        assert_eq!(aggregated.body, based.body, "{kind:?}");
    }
}

#[test]
fn superseded_statements_no_longer_count() {
    let mut store = seeded();
    let seed = Seed {
        date: "2024-01-03",
        source: "MFA Azerbaijan",
        text: "Revised: no mention.",
        mentions: &[],
        accusations: &[],
    };
    insert(&mut store, "/inbox/0.txt", &seed);
    let filters = Filters { countries: codes("AM"), ..Filters::default() };
    let chart = query(store.connection(), &spec(ChartKind::Ranking(Ranking::Mentioned), filters)).unwrap();
    let Body::Ranking(bars) = &chart.body else { panic!("a ranking") };
    // AM was mentioned 2 + 1 + 1 + 1 times; the first statement's two mentions are gone.
    assert_eq!(bars[0].value, 3.0);
}

#[test]
fn shares_are_percentages_of_the_bucket_statements() {
    let store = seeded();
    let mut share = spec(
        ChartKind::Mentions(MentionMeasure::Share),
        Filters { countries: codes("FR"), ..Filters::default() },
    );
    share.bucket = Some(demarche_chart::Bucket::Month);
    let chart = query(store.connection(), &share).unwrap();
    let Body::Time(time) = &chart.body else { panic!("a time chart") };
    // March: both statements mention France; January: none of two.
    assert_eq!(time.series[0].values, [0.0, 0.0, 100.0]);
    assert!(time.percent);
}

#[test]
fn mention_charts_leave_organisations_out_unless_asked() {
    let store = seeded();
    let labels = |include: bool| -> Vec<String> {
        let mut ranking = spec(ChartKind::Ranking(Ranking::Mentioned), Filters::default());
        ranking.include_organisations = include;
        let chart = query(store.connection(), &ranking).unwrap();
        let Body::Ranking(bars) = chart.body else { panic!("a ranking") };
        bars.into_iter().map(|bar| bar.key).collect()
    };
    assert!(!labels(false).contains(&"UN".to_string()), "{:?}", labels(false));
    assert!(labels(true).contains(&"UN".to_string()), "{:?}", labels(true));
}

#[test]
fn an_empty_range_draws_the_no_data_chart() {
    let store = seeded();
    let filters =
        Filters { from: Some(day("1990-01-01")), to: Some(day("1990-12-31")), ..Filters::default() };
    for kind in [
        ChartKind::Mentions(MentionMeasure::Count),
        ChartKind::Accusations(AccusationGrouping::Category),
        ChartKind::Ranking(Ranking::Accused),
        ChartKind::Matrix,
    ] {
        let chart = query(store.connection(), &spec(kind, filters.clone())).unwrap();
        assert!(chart.is_empty(), "{kind:?}");
        let svg = String::from_utf8(exported(&store, &chart, Format::Svg, SMALL)).unwrap();
        let (texts, _) = svg_texts(&svg);
        assert!(texts.iter().any(|text| text == "No data for these filters"), "{kind:?}: {texts:?}");
        assert!(texts.iter().any(|text| text.starts_with("Dates: 1 Jan 1990 to 31 Dec 1990")), "{texts:?}");
        let png = exported(&store, &chart, Format::Png, SMALL);
        assert!(png.starts_with(b"\x89PNG"));
        let csv = String::from_utf8(exported(&store, &chart, Format::Csv, SMALL)).unwrap();
        assert!(csv.contains("# No data for these filters."));
    }
    let empty = Store::open_in_memory().unwrap();
    let chart =
        query(empty.connection(), &spec(ChartKind::Mentions(MentionMeasure::Count), Filters::default()))
            .unwrap();
    assert!(chart.is_empty() && chart.range.is_none());
    exported(&empty, &chart, Format::Pdf, SMALL);
}

#[test]
fn bad_requests_are_clear_errors() {
    let store = seeded();
    let bad_query = Filters { query: Some("\"unclosed".into()), ..Filters::default() };
    let error =
        query(store.connection(), &spec(ChartKind::Ranking(Ranking::Mentioned), bad_query)).unwrap_err();
    assert!(matches!(error, ChartError::InvalidQuery { .. }), "{error}");
    let backwards =
        Filters { from: Some(day("2024-02-01")), to: Some(day("2024-01-01")), ..Filters::default() };
    let error = query(store.connection(), &spec(ChartKind::Matrix, backwards)).unwrap_err();
    assert!(matches!(error, ChartError::EmptyRange { .. }), "{error}");
    assert!(Format::from_path("chart.jpeg".as_ref()).is_err());
    assert_eq!(Format::from_path("Chart.PDF".as_ref()).unwrap(), Format::Pdf);
    let chart = query(store.connection(), &spec(ChartKind::Matrix, Filters::default())).unwrap();
    let provenance = Provenance::collect(store.connection(), &chart).unwrap();
    let huge = RenderSize { scale: 9.0, ..SMALL };
    assert!(export(&chart, &provenance, Format::Png, huge).is_err());
}

#[test]
fn geometry_maps_clicks_to_buckets_and_series() {
    let store = seeded();
    let mut accusations = spec(ChartKind::Accusations(AccusationGrouping::Accused), Filters::default());
    accusations.bucket = Some(demarche_chart::Bucket::Month);
    let chart = query(store.connection(), &accusations).unwrap();
    let provenance = Provenance::collect(store.connection(), &chart).unwrap();
    let scaled = RenderSize { scale: 2.0, ..SMALL };
    let geometry = export(&chart, &provenance, Format::Png, scaled).unwrap().geometry.unwrap();
    assert_eq!((geometry.width, geometry.height), (1280, 800));
    let keys: Vec<&str> = geometry.columns.iter().map(|band| band.key.as_str()).collect();
    assert_eq!(keys, ["2024-01-03", "2024-02-01", "2024-03-01"]);
    for mark in &geometry.marks {
        let centre = (mark.rect.x + mark.rect.width / 2.0, mark.rect.y + mark.rect.height / 2.0);
        let hit = geometry.hit(centre.0, centre.1).unwrap();
        assert_eq!((hit.column, hit.series, hit.value), (mark.column, mark.series, Some(mark.value)));
    }
    let Body::Time(time) = &chart.body else { panic!("a time chart") };
    let january = time.series.iter().position(|series| series.key == "AM").unwrap();
    assert!(geometry.marks.iter().any(|mark| mark.column == Some(0) && mark.series == Some(january)));
    // The same country has the same colour in another chart.
    let ranking =
        query(store.connection(), &spec(ChartKind::Ranking(Ranking::Accused), Filters::default())).unwrap();
    let other = export(&ranking, &provenance, Format::Svg, SMALL).unwrap().geometry.unwrap();
    let colour = |geometry: &demarche_chart::Geometry| {
        geometry.series.iter().find(|series| series.key == "AM").map(|series| series.colour.clone())
    };
    assert_eq!(colour(&geometry), colour(&other));
    assert_eq!(colour(&other), Some(demarche_chart::country_colour("AM")));
}

/// A small deterministic generator (an LCG), so generated data is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn weighted<'a>(&mut self, choices: &[(&'a str, u64)]) -> &'a str {
        let total: u64 = choices.iter().map(|(_, weight)| weight).sum();
        let mut pick = self.below(total);
        for (code, weight) in choices {
            if pick < *weight {
                return code;
            }
            pick -= weight;
        }
        choices[0].0
    }
}

const MENTIONED: &[(&str, u64)] = &[
    ("AM", 30),
    ("AZ", 28),
    ("RU", 20),
    ("TR", 14),
    ("IR", 10),
    ("FR", 9),
    ("US", 9),
    ("GE", 7),
    ("UA", 6),
    ("CN", 5),
    ("DE", 4),
    ("GB", 4),
    ("KZ", 2),
    ("UN", 8),
    ("EU", 6),
];
const ACCUSERS: &[(&str, u64)] =
    &[("AZ", 10), ("AM", 9), ("RU", 4), ("IR", 2), ("TR", 3), ("FR", 2), ("US", 2)];
const CATEGORIES: &[(&str, u64)] = &[
    ("ceasefire_violation", 6),
    ("provocation", 5),
    ("disinformation", 3),
    ("aggression", 3),
    ("arms_supply", 2),
    ("human_rights", 2),
];
const SOURCES: &[&str] = &["MFA Azerbaijan", "MFA Armenia", "Kremlin", "Elysée", "State Department"];

/// Statements from `from` for `days` days: a few a day, more during two flare-ups, each
/// mentioning 2 to 5 countries and sometimes accusing one of them.
fn generated(from: &str, days: u64) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let mut random = Lcg(7);
    let start = day(from);
    let mut item = 0;
    for offset in 0..days {
        let date = start + chrono::Days::new(offset);
        let flare_up = matches!(offset % 365, 250..=275) || matches!(offset, 500..=520);
        let statements = 3 + random.below(5) + if flare_up { 12 } else { 0 };
        for _ in 0..statements {
            let mentions: Vec<&str> = (0..2 + random.below(4)).map(|_| random.weighted(MENTIONED)).collect();
            let mut accusations: Vec<(&str, &str, Vec<&str>)> = Vec::new();
            if random.below(10) < if flare_up { 7 } else { 3 } {
                let accuser = random.weighted(ACCUSERS);
                let mut accused = random.weighted(MENTIONED);
                while accused == accuser {
                    accused = random.weighted(MENTIONED);
                }
                let categories = (0..random.below(3)).map(|_| random.weighted(CATEGORIES)).collect();
                accusations.push((accuser, accused, categories));
            }
            let accusations: Vec<(&str, &str, &[&str])> =
                accusations.iter().map(|(a, b, c)| (*a, *b, c.as_slice())).collect();
            let text = format!("Generated statement {item} about {}.", mentions.join(" "));
            let date = date.to_string();
            let source = SOURCES[random.below(SOURCES.len() as u64) as usize];
            let seed =
                Seed { date: &date, source, text: &text, mentions: &mentions, accusations: &accusations };
            insert(&mut store, &format!("/generated/{item}.txt"), &seed);
            item += 1;
        }
    }
    store
}

/// Draws every chart kind over two years and over one week of generated statements.
/// With `DEMARCHE_CHART_DOCS=<folder>` set, the PNGs are written there for review
/// (`docs/charts` holds the reviewed ones).
#[test]
fn generated_data_draws_every_chart_kind() {
    let out = std::env::var_os("DEMARCHE_CHART_DOCS").map(std::path::PathBuf::from);
    let kinds: &[(&str, ChartKind, &str)] = &[
        ("mentions", ChartKind::Mentions(MentionMeasure::Count), ""),
        ("mentions-share", ChartKind::Mentions(MentionMeasure::Share), "AM,AZ,RU,TR"),
        ("accusations-by-country", ChartKind::Accusations(AccusationGrouping::Accused), ""),
        ("accusations-by-category", ChartKind::Accusations(AccusationGrouping::Category), ""),
        ("ranking-mentioned", ChartKind::Ranking(Ranking::Mentioned), ""),
        ("ranking-accusing", ChartKind::Ranking(Ranking::Accusing), ""),
        ("matrix", ChartKind::Matrix, ""),
    ];
    for (period, store) in
        [("two-years", generated("2023-01-01", 731)), ("one-week", generated("2024-09-02", 7))]
    {
        for (name, kind, countries) in kinds {
            let chart = query(
                store.connection(),
                &spec(*kind, Filters { countries: codes(countries), ..Filters::default() }),
            )
            .unwrap();
            assert!(!chart.is_empty(), "{period} {name}");
            let png = exported(&store, &chart, Format::Png, RenderSize::default());
            if let Some(out) = &out {
                std::fs::create_dir_all(out).unwrap();
                std::fs::write(out.join(format!("{period}-{name}.png")), png).unwrap();
            }
        }
    }
}

/// Every number drawn is the number of evidence rows behind it: each bucket of every
/// series, each ranking bar and each matrix cell opens to exactly that many sentences.
#[test]
fn every_count_opens_to_as_many_sentences() {
    use demarche_chart::{evidence, Selection};
    let store = seeded();
    let conn = store.connection();
    let filter_sets = [
        Filters::default(),
        Filters { accusers: codes("AZ"), ..Filters::default() },
        Filters {
            from: Some(day("2024-01-05")),
            source: Some("mfa azerbaijan".into()),
            ..Filters::default()
        },
    ];
    let kinds = [
        ChartKind::Mentions(MentionMeasure::Count),
        ChartKind::Accusations(AccusationGrouping::Accused),
        ChartKind::Accusations(AccusationGrouping::Category),
        ChartKind::Ranking(Ranking::Mentioned),
        ChartKind::Ranking(Ranking::Accused),
        ChartKind::Ranking(Ranking::Accusing),
        ChartKind::Matrix,
    ];
    let mut checked = 0;
    for filters in &filter_sets {
        for kind in kinds {
            let mut chart_spec = spec(kind, filters.clone());
            chart_spec.top = Some(2);
            chart_spec.include_organisations = true;
            let chart = query(conn, &chart_spec).unwrap();
            let mut check = |selection: Selection, value: f64| {
                let found = evidence(conn, &chart_spec, &selection, 100).unwrap();
                assert_eq!(found.total as f64, value, "{kind:?} {filters:?} {selection:?}");
                assert_eq!(found.items.len(), found.total);
                for item in &found.items {
                    let text: String = conn
                        .query_row(
                            "SELECT text FROM statement_texts WHERE statement_id = ?1",
                            [item.statement_id],
                            |r| r.get(0),
                        )
                        .unwrap();
                    let sentence: String = text
                        .chars()
                        .skip(item.sentence_start as usize)
                        .take((item.sentence_end - item.sentence_start) as usize)
                        .collect();
                    assert_eq!(sentence, item.sentence, "the evidence is the stored sentence");
                }
                checked += 1;
            };
            match &chart.body {
                Body::Time(series) => {
                    let others: Vec<String> = series.series.iter().map(|s| s.key.clone()).collect();
                    for drawn in &series.series {
                        for (period, value) in series.periods.iter().zip(&drawn.values) {
                            let selection = Selection {
                                period: Some(*period),
                                key: Some(drawn.key.clone()),
                                others: others.clone(),
                                accuser: None,
                            };
                            check(selection, *value);
                        }
                    }
                }
                Body::Ranking(bars) => {
                    for bar in bars {
                        check(Selection { key: Some(bar.key.clone()), ..Selection::default() }, bar.value);
                    }
                }
                Body::Matrix(matrix) => {
                    for (row, accuser) in matrix.accusers.iter().enumerate() {
                        for (column, accused) in matrix.accused.iter().enumerate() {
                            let selection = Selection {
                                key: Some(accused.key.clone()),
                                accuser: Some(accuser.key.clone()),
                                ..Selection::default()
                            };
                            check(selection, matrix.counts[row][column]);
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 40, "only {checked} numbers checked");
}

/// The aggregate tables (whole months from the monthly ones, the other days from the
/// daily ones, pairs for the matrix) answer exactly as the base tables do, for every
/// chart kind and bucket, over ranges that start and end inside months, on month
/// boundaries or within one month, under country, accuser and accused filters, on
/// generated statements changed every way the store changes counts: new versions, an
/// undo to an earlier version, corrections of dates across months, a shortened file.
#[test]
fn aggregate_tables_answer_as_the_base_tables_after_every_kind_of_change() {
    use demarche_store::{CorrectedField, Correction};
    let mut store = generated("2023-11-20", 130);
    let ids = |store: &Store, sql: &str| -> Vec<i64> {
        let mut query = store.connection().prepare(sql).unwrap();
        query.query_map([], |row| row.get(0)).unwrap().map(Result::unwrap).collect()
    };
    // New versions of every 17th file, dated elsewhere and mentioning other countries.
    for (index, item) in (0..600).step_by(17).enumerate() {
        let date = (day("2023-12-01") + chrono::Days::new(index as u64 * 3)).to_string();
        let seed = Seed {
            date: &date,
            source: "Kremlin",
            text: "Generated statement, revised: Iran and Türkiye.",
            mentions: &["IR", "TR", "IR"],
            accusations: &[("IR", "TR", &[]), ("TR", "AZ", &["provocation"])],
        };
        insert(&mut store, &format!("/generated/{item}.txt"), &seed);
    }
    // Undo: three files go back to their first content.
    for id in ids(&store, "SELECT id FROM statements WHERE superseded_at IS NOT NULL ORDER BY id LIMIT 3") {
        store.reinstate_statement(id).unwrap();
    }
    // Corrections: dates moved across month boundaries, with a new analysis.
    let corrected = Analysis {
        mentions: vec![Mention {
            start: 0,
            end: 9,
            text: "Generated".into(),
            country: "GE".into(),
            kind: MentionKind::Name,
            sentence_start: 0,
            sentence_end: 9,
        }],
        accusations: vec![Accusation {
            start: 0,
            end: 9,
            sentence: "Generated".into(),
            accuser: "GE".into(),
            accused: "RU".into(),
            categories: vec![],
            cue: "accused".into(),
        }],
    };
    let current = "SELECT id, date FROM statements WHERE superseded_at IS NULL AND id % 23 = 0 ORDER BY id";
    let dated: Vec<(i64, String)> = {
        let mut query = store.connection().prepare(current).unwrap();
        query.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    for (index, (id, date)) in dated.iter().enumerate() {
        let moved = (day(date) + chrono::Days::new(20 + index as u64)).to_string();
        let correction = Correction {
            field: CorrectedField::Date,
            value: Some(moved),
            original: Some(date.clone()),
            original_source: Some("front_matter".into()),
            corrected_at: String::new(),
        };
        store.apply_corrections(*id, &[correction], &corrected).unwrap();
    }
    // A file that now holds nothing.
    store.supersede_items_from("/generated/5.txt", 0).unwrap();

    let kinds = [
        ChartKind::Mentions(MentionMeasure::Count),
        ChartKind::Mentions(MentionMeasure::Statements),
        ChartKind::Mentions(MentionMeasure::Share),
        ChartKind::Accusations(AccusationGrouping::Accused),
        ChartKind::Ranking(Ranking::Mentioned),
        ChartKind::Ranking(Ranking::Accused),
        ChartKind::Ranking(Ranking::Accusing),
        ChartKind::Matrix,
    ];
    use demarche_chart::Bucket;
    let buckets = [
        None,
        Some(Bucket::Day),
        Some(Bucket::Week),
        Some(Bucket::Month),
        Some(Bucket::Quarter),
        Some(Bucket::Year),
    ];
    let ranges = [
        (None, None),
        (Some("2023-11-25"), Some("2024-03-10")),
        (Some("2023-12-01"), Some("2024-02-29")),
        (Some("2023-12-15"), Some("2024-01-31")),
        (Some("2024-01-05"), Some("2024-01-25")),
        (Some("2024-02-01"), None),
        (None, Some("2024-01-31")),
    ];
    let filter_sets = [
        Filters::default(),
        Filters { countries: codes("AM,AZ,IR"), ..Filters::default() },
        Filters { accusers: codes("AZ,TR"), ..Filters::default() },
        Filters { accused: codes("AM"), ..Filters::default() },
    ];
    let conn = store.connection();
    // Every statement's text holds "generated": this query keeps them all but sends the
    // counting to the base tables.
    let everything = Some("generated".to_string());
    let mut compared = 0;
    for kind in kinds {
        let time = matches!(kind, ChartKind::Mentions(_) | ChartKind::Accusations(_));
        for bucket in buckets.iter().filter(|bucket| time || bucket.is_none()) {
            // A short top cuts the matrix and the rankings, so their ties and the
            // choice of sides are compared too.
            let tops: &[Option<usize>] = if time { &[None] } else { &[None, Some(3)] };
            for ((from, to), top) in
                ranges.iter().flat_map(|range| tops.iter().map(move |top| (*range, *top)))
            {
                for filters in &filter_sets {
                    let filters = Filters { from: from.map(day), to: to.map(day), ..filters.clone() };
                    let mut aggregated = spec(kind, filters.clone());
                    aggregated.bucket = *bucket;
                    aggregated.top = top;
                    aggregated.include_organisations = true;
                    let mut based = aggregated.clone();
                    based.filters.query = everything.clone();
                    let aggregated = query(conn, &aggregated).unwrap();
                    // Without dates given, the aggregates span every dated statement and
                    // the base tables only those the filters keep (an accused country's
                    // accusations): that choice of range is older than these tables and
                    // not theirs to change, so both count over the same days.
                    if let Some(range) = aggregated.range {
                        (based.filters.from, based.filters.to) = (Some(range.start), Some(range.end));
                    }
                    let based = query(conn, &based).unwrap();
                    let what = format!("{kind:?} {bucket:?} {from:?}..{to:?} {filters:?}");
                    assert_eq!(aggregated.range, based.range, "{what}");
                    assert_eq!(aggregated.body, based.body, "{what}");
                    compared += usize::from(!aggregated.is_empty());
                }
            }
        }
    }
    assert!(compared > 300, "only {compared} charts with data compared");
}
