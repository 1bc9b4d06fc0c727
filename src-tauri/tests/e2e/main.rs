//! End-to-end tests of the desktop app through its real webview: tauri-driver and
//! WebKitWebDriver drive the built app under Xvfb, on a temporary database and watch
//! folder. They need the app built, a display, tauri-driver and WebKitWebDriver, so they
//! are ignored in plain `cargo test`; `scripts/e2e` provides all of that and runs them.
//!
//! With `DEMARCHE_SCREENSHOTS` set to a folder, each screen is saved there as a PNG.

mod webdriver;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::json;
use webdriver::Driver;

/// Statements written for these tests: dated by front matter, over two years, by
/// several sources, with mentions and accusations.
const STATEMENTS: &[(&str, &str)] = &[
    (
        "2023-03-02 georgia.md",
        "---\ntitle: Statement on the occupied regions\ndate: 2023-03-02\nsource: MFA Georgia\nspeaker: Spokesperson\nspeaker_country: GE\n---\nGeorgia condemns the continued occupation of Abkhazia by Russia. Russian forces violated the ceasefire line near Gali.\n",
    ),
    (
        "2023-06-15 ukraine.md",
        "---\ntitle: On the shelling of Kherson\ndate: 2023-06-15\nsource: MFA Ukraine\nspeaker: Minister\nspeaker_country: UA\n---\nRussia shelled residential districts of Kherson overnight. We call on our partners in Poland and Germany to stand with us.\n",
    ),
    (
        "2023-11-20 moldova.md",
        "---\ntitle: Moldova on interference\ndate: 2023-11-20\nsource: Government of Moldova\nspeaker: President\nspeaker_country: MD\n---\nMoldova accuses Russia of interference in the local elections. Romania and the European Union offered their support.\n",
    ),
    (
        "2024-02-08 china.md",
        "---\ntitle: Press conference\ndate: 2024-02-08\nsource: MFA China\nspeaker: Spokesperson\nspeaker_country: CN\n---\nThe United States should stop interfering in the internal affairs of China. Japan and the Philippines were also discussed.\n",
    ),
];

/// Temporary folders for one app run: database, inbox (not created: the app creates and
/// seeds it on first run), exports.
struct Run {
    _root: tempfile::TempDir,
    database: PathBuf,
    inbox: PathBuf,
    exports: PathBuf,
}

impl Run {
    fn new() -> Run {
        let root = tempfile::tempdir().unwrap();
        let exports = root.path().join("exports");
        fs::create_dir(&exports).unwrap();
        Run {
            database: root.path().join("data/demarche.sqlite3"),
            inbox: root.path().join("Démarche Inbox"),
            exports,
            _root: root,
        }
    }

    fn start(&self) -> Driver {
        Driver::start(&[
            ("DEMARCHE_DB", &self.database),
            ("DEMARCHE_INBOX", &self.inbox),
            ("DEMARCHE_EXPORT_DIR", &self.exports),
        ])
    }
}

fn screenshot(driver: &Driver, name: &str) {
    if let Some(folder) = std::env::var_os("DEMARCHE_SCREENSHOTS") {
        driver.screenshot(&Path::new(&folder).join(format!("{name}.png")));
    }
}

fn number(driver: &Driver, css: &str) -> i64 {
    driver.text(css).trim().parse().unwrap_or(-1)
}

/// Waits until the dashboard counts `statements` statements.
fn wait_for_statements(driver: &Driver, statements: i64, seconds: u64) {
    driver.wait(seconds, &format!("{statements} statements on the dashboard"), || {
        let found = driver.find_all("[data-testid=total-statements]");
        let count = found.first().map(|element| driver.text_of(element).trim().parse::<i64>().unwrap_or(-1));
        (count == Some(statements)).then_some(())
    });
}

#[test]
#[ignore = "needs the built app, Xvfb, tauri-driver and WebKitWebDriver: run scripts/e2e"]
fn a_dropped_statement_reaches_list_chart_drill_down_highlights_and_export() {
    let run = Run::new();
    let driver = run.start();

    // First run: the inbox is created and seeded with the sample statement.
    wait_for_statements(&driver, 1, 60);
    assert!(run.inbox.join("2022-10-14_aliyev-cis-astana.txt").exists(), "the inbox was seeded");
    driver.find("[data-testid=chart-image-ranking]", 20);
    screenshot(&driver, "01-first-run-dashboard");

    // Drop statements into the watch folder; each shows up within seconds.
    let mut expected = 1;
    for (name, text) in STATEMENTS {
        let dropped = Instant::now();
        fs::write(run.inbox.join(name), text).unwrap();
        expected += 1;
        wait_for_statements(&driver, expected, 15);
        eprintln!("{name}: on the dashboard {} ms after the drop", dropped.elapsed().as_millis());
    }
    let mentions = number(&driver, "[data-testid=total-mentions]");
    let accusations = number(&driver, "[data-testid=total-accusations]");
    assert!(mentions > 27 && accusations > 6, "counts grew: {mentions} mentions, {accusations} accusations");
    driver.find("[data-testid=chart-image-matrix]", 20);
    screenshot(&driver, "02-dashboard");

    // A bucket of the mentions chart, clicked with the mouse, lists its sentences.
    driver.mouse_click_centre("[data-testid=chart-image-mentions]");
    driver.find("[data-testid=drill-down]", 10);
    // The ranking's first bar, chosen with the keyboard, lists the most mentioned country's sentences.
    driver.click("[data-testid=close-drill-down]");
    driver.type_into("[data-testid=chart-image-ranking]", "\u{E007}");
    let heading = driver.text("[data-testid=drill-down] h2");
    let items = driver.find_all("[data-testid=evidence-item]");
    assert!(!items.is_empty(), "the top bar opens to its sentences ({heading})");
    let rows: usize = heading.rsplit(": ").next().unwrap().split(' ').next().unwrap().parse().unwrap();
    assert_eq!(rows, items.len().min(500), "the heading counts the rows listed: {heading}");
    screenshot(&driver, "03-drill-down");

    // An evidence row opens its statement, with mentions and accusations highlighted.
    driver.click_element(&items[0]);
    driver.find("[data-testid=statement-view]", 10);
    let marked = driver.find_all("[data-testid=statement-text] .mention");
    assert!(!marked.is_empty(), "mentions are highlighted");
    let hover = driver.execute(
        "return document.querySelector('[data-testid=statement-text] .accusation')?.getAttribute('title') ?? ''",
        vec![],
    );
    screenshot(&driver, "04-statement");

    // The sample statement: Armenia accused by Azerbaijan, highlighted with the hover text.
    driver.click("[data-testid=nav-statements]");
    driver.type_into("[data-testid=query]", "Aliyev");
    driver.click("[data-testid=search]");
    driver.wait(10, "the search to narrow the list", || {
        (driver.text("[data-testid=list-total]").starts_with("1 statement")).then_some(())
    });
    screenshot(&driver, "05-statements-search");
    driver.click("[data-testid=statement-row] button.link");
    driver.find("[data-testid=statement-text] .accusation", 10);
    let hover_sample = driver.execute(
        "return [...document.querySelectorAll('[data-testid=statement-text] .accusation')].map(e => e.title).join('\\n')",
        vec![],
    );
    let hover_sample = hover_sample.as_str().unwrap();
    assert!(
        hover_sample.contains("Azerbaijan accuses Armenia"),
        "hover names accuser and accused: {hover_sample}"
    );
    assert!(hover.is_string());
    screenshot(&driver, "06-statement-sample");

    // Filters: an accuser filter narrows the list to the statements holding such accusations.
    driver.click("[data-testid=back]");
    driver.click("[data-testid=reset-filters]");
    driver.wait(10, "the full list", || {
        driver.text("[data-testid=list-total]").starts_with("5 statements").then_some(())
    });
    driver.click("[data-testid=accusers] option[value=GE]");
    driver.wait(10, "the accuser filter", || {
        driver.text("[data-testid=list-total]").starts_with("1 statement").then_some(())
    });
    let title = driver.text("[data-testid=statement-row] button.link");
    assert_eq!(title, "Statement on the occupied regions");
    driver.click("[data-testid=reset-filters]");

    // Export the ranking as PNG: the file exists and decodes.
    driver.click("[data-testid=nav-dashboard]");
    driver.find("[data-testid=chart-image-ranking]", 20);
    driver.click("[data-testid=export-ranking-png]");
    let saved = driver.text("[data-testid=exported-ranking]");
    let path = PathBuf::from(saved.trim_start_matches("Saved "));
    assert!(path.starts_with(&run.exports), "{saved}");
    let decoder = png::Decoder::new(std::io::BufReader::new(fs::File::open(&path).unwrap()));
    let reader = decoder.read_info().expect("the export is a PNG");
    assert!(reader.info().width >= 320 && reader.info().height >= 240, "{:?}", reader.info().size());

    // The other screens, and the dashboard in the dark theme and at 1920×1080.
    driver.click("[data-testid=nav-activity]");
    driver.find("[data-testid=activity-log] li", 10);
    assert_eq!(driver.text("[data-testid=watch-state]"), "watching");
    screenshot(&driver, "07-activity");
    driver.click("[data-testid=nav-settings]");
    driver.find("[data-testid=settings]", 10);
    screenshot(&driver, "08-settings");
    driver.click("[data-testid=theme]");
    driver.click("[data-testid=nav-dashboard]");
    driver.find("[data-testid=chart-image-matrix]", 20);
    screenshot(&driver, "09-dashboard-dark");
    driver.click("[data-testid=theme]");
    driver.resize(1920, 1080);
    std::thread::sleep(std::time::Duration::from_millis(800));
    driver.find("[data-testid=chart-image-matrix]", 20);
    screenshot(&driver, "10-dashboard-1920x1080");
}

#[test]
#[ignore = "needs the built app, Xvfb, tauri-driver and WebKitWebDriver: run scripts/e2e"]
fn statement_text_never_runs_as_html_or_script() {
    let run = Run::new();
    let driver = run.start();
    wait_for_statements(&driver, 1, 60);
    let sample_id: i64 = 1;

    // Every way a statement could try to run code in the page, and to call a command.
    let attack = "<img src=x onerror=\"window.__xss='img';document.title='pwned'\"> heading\n\
        Armenia <script>window.__xss='script'</script> attacked <b onmouseover=\"window.__xss='b'\">Azerbaijan</b>.\n\
        <a href=\"javascript:window.__xss='link'\">javascript:alert(1)</a> \
        <iframe src=\"javascript:alert(2)\"></iframe> <svg onload=\"alert(3)\"></svg>\n\
        <img src=x onerror=\"window.__TAURI_INTERNALS__.invoke('correct_statement',{id:1,changes:[{field:'speaker',value:'pwned'}]})\">\n\
        {{constructor.constructor('alert(4)')()}} ${alert(5)}\n";
    fs::write(run.inbox.join("2024-05-01 attack.txt"), attack).unwrap();
    wait_for_statements(&driver, 2, 15);

    let count_nodes = "return ['img','script','iframe','svg','b','a'].map(t => \
        document.querySelectorAll('main ' + t + ':not([data-testid^=chart-image])').length).join(',')";
    driver.click("[data-testid=nav-statements]");
    driver.find("[data-testid=statement-row]", 10);
    let before = driver.execute(count_nodes, vec![]);
    let titles = driver.text("[data-testid=statement-list]");
    assert!(titles.contains("<img src=x onerror="), "the title shows as text: {titles}");
    driver.click("[data-testid=statement-row][data-id='2'] button.link");
    driver.find("[data-testid=statement-view]", 10);
    let shown = driver.text("[data-testid=statement-text]");
    assert!(shown.contains("<script>window.__xss='script'</script>"), "the text shows as text: {shown}");
    // Hover and click over the text, as a curious reader would.
    driver.mouse_click_centre("[data-testid=statement-text]");
    std::thread::sleep(std::time::Duration::from_millis(500));
    screenshot(&driver, "11-untrusted-text");

    let ran = driver.execute("return [window.__xss ?? null, document.title]", vec![]);
    assert_eq!(ran, json!([null, "Démarche"]), "no script from the statement ran");
    assert_eq!(driver.alert_text(), None, "no alert opened");
    let injected = driver.execute(
        "return document.querySelectorAll('[data-testid=statement-text] *:not(span)').length",
        vec![],
    );
    assert_eq!(injected, json!(0), "the statement text holds no elements but highlight spans");
    driver.click("[data-testid=back]");
    driver.find("[data-testid=statement-row]", 10);
    assert_eq!(driver.execute(count_nodes, vec![]), before, "the list's DOM is unchanged");

    // No command was called from the statement: the sample's speaker is unchanged.
    let speaker: Option<String> = rusqlite::Connection::open(&run.database)
        .unwrap()
        .query_row("SELECT speaker FROM statements WHERE id = ?1", [sample_id], |row| row.get(0))
        .unwrap();
    assert_eq!(speaker.as_deref(), Some("Ilham Aliyev"));
}

/// Launch to interactive on a large database, and input latency during a catch-up scan:
/// a measurement, not a pass/fail test. `scripts/bench-app` prepares the database
/// (`DEMARCHE_BENCH_DB`) and the folder of files to catch up on (`DEMARCHE_BENCH_INBOX`)
/// and runs it; it prints the figures.
#[test]
#[ignore = "a benchmark: run scripts/bench-app"]
fn launch_and_input_latency_on_a_large_database() {
    let (Some(database), Some(inbox)) =
        (std::env::var_os("DEMARCHE_BENCH_DB"), std::env::var_os("DEMARCHE_BENCH_INBOX"))
    else {
        panic!("set DEMARCHE_BENCH_DB and DEMARCHE_BENCH_INBOX (scripts/bench-app does)");
    };
    let exports = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let driver = Driver::start(&[
        ("DEMARCHE_DB", Path::new(&database)),
        ("DEMARCHE_INBOX", Path::new(&inbox)),
        ("DEMARCHE_EXPORT_DIR", exports.path()),
    ]);
    let session = started.elapsed();
    driver.find("[data-testid=total-statements]", 60);
    let counted = started.elapsed();
    driver.find("[data-testid=chart-image-matrix]", 60);
    driver.find("[data-testid=chart-image-mentions]", 60);
    let interactive = started.elapsed();
    let statements = driver.text("[data-testid=total-statements]");
    println!(
        "launch: window and session {} ms, counts shown {} ms, all four charts drawn {} ms ({statements} statements)",
        session.as_millis(),
        counted.as_millis(),
        interactive.as_millis()
    );

    // While the watcher catches up on the inbox, switch views and time each answer:
    // from the click to the view's content on screen.
    let mut latencies = Vec::new();
    for round in 0..20 {
        let (go, shows) = if round % 2 == 0 {
            ("nav-statements", "[data-testid=statement-row]")
        } else {
            ("nav-dashboard", "[data-testid=chart-image-ranking]")
        };
        let answered = driver.execute(
            "const [go, shows, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];\
             return new Promise(resolve => { const t = performance.now();\
               document.querySelector(`[data-testid=${go}]`).click();\
               const poll = () => document.querySelector(shows) ? resolve(performance.now() - t) : requestAnimationFrame(poll);\
               requestAnimationFrame(poll); });",
            vec![json!(go), json!(shows)],
        );
        latencies.push(answered.as_f64().unwrap_or(f64::NAN));
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    let progress = driver
        .execute("return document.querySelector('[data-testid=latest-activity]')?.textContent ?? ''", vec![]);
    latencies.sort_by(f64::total_cmp);
    println!(
        "input during catch-up: median {:.0} ms, p95 {:.0} ms, max {:.0} ms over {} view switches (last activity: {progress})",
        latencies[latencies.len() / 2],
        latencies[latencies.len() * 95 / 100],
        latencies[latencies.len() - 1],
        latencies.len()
    );
}
