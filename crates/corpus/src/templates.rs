//! The sentence templates and word lists the corpus is built from. Slots are described
//! at `Scene::fill`. Accusation templates use the cues of `data/lexicons/` the way
//! statements do (verbs, acts, passive voice, quotes); appeals and denials name a
//! country without accusing it, so the detector meets its usual traps.

/// Titles of statements.
pub(crate) const TITLES: &[&str] = &[
    "Statement by the Ministry of Foreign Affairs of {A} on {topic}",
    "Remarks by {speaker}, {role}, at the regular press briefing",
    "{A} and {B} hold consultations on {topic}",
    "Press release on the visit of the {Bdem} delegation to {Acap}",
    "Comment by the {role} on the situation in {B}",
    "Answer of the {role} to a media question about {B}",
    "{speaker} meets the ambassador of {B}",
    "Joint statement of {A} and {B} following talks in {Bcap}",
    "Briefing by {speaker} on current foreign policy issues",
    "{Adem} foreign ministry responds to statements by {B}",
];

/// Sentences that carry an accusation.
pub(crate) const ACCUSATIONS: &[&str] = &[
    "The Ministry of Foreign Affairs of {A} strongly condemns the shelling of civilian areas by the armed forces of {B}.",
    "{A} accused {B} of violating the ceasefire agreement in the border region.",
    "{Bdem} forces shelled positions near the border overnight, the ministry said.",
    "We condemn the provocations of {B} against our diplomatic mission in {Ccap}.",
    "{speaker} blamed {B} for the collapse of the talks on {topic}.",
    "The government of {A} denounced the detention of its citizens by {Bdem} authorities as a gross violation of human rights.",
    "{A} criticised {B} for failing to fulfil its obligations under the agreement.",
    "According to the ministry, {Bdem} troops attacked a village on the border, wounding {number} civilians.",
    "{B} has once again violated the ceasefire, the {role} said.",
    "The aggression of {B} against its neighbours must stop, {speaker} stressed.",
    "Officials in {Acap} accused {Bdem} security services of spreading false information.",
    "\"The attack on the embassy was organised by {B},\" the {role} told reporters.",
    "{B}'s provocations on the border are part of a deliberate policy, the statement said.",
    "{Adem} officials condemned {B} for the shelling of residential districts.",
    "The ministry denounced the vandalism against the embassy of {A} in {Bcap}.",
];

/// Appeals and denials: a country named, no accusation made.
pub(crate) const APPEALS: &[&str] = &[
    "We call on {B} to return to the negotiating table without preconditions.",
    "{B} rejected the accusations as groundless and politically motivated.",
    "The {role} urged all parties, including {B}, to show restraint.",
    "{A} expects {B} to respond constructively to the proposals made in {Acap}.",
    "If {B} chooses dialogue, {A} is ready to meet it halfway, the {role} said.",
];

/// Neutral diplomatic sentences that name countries.
pub(crate) const NEUTRAL: &[&str] = &[
    "{speaker} met the ambassador of {B} in {Acap} on {weekday} to discuss bilateral relations.",
    "The two sides discussed trade, energy and transport links between {A} and {B}.",
    "{A} and {B} agreed to hold the next round of consultations in {Bcap} later this year.",
    "The delegation of {A} took part in the ministerial meeting of {org}.",
    "According to the latest figures, trade between {A} and {B} grew by {number} percent last year.",
    "The minister thanked {C} for its humanitarian assistance to the affected regions.",
    "{Adem} officials expressed hope that the dialogue with {B} would continue.",
    "Journalists asked about the situation in {C} and the upcoming summit of {org}.",
    "The {role} said that {A} attaches great importance to its partnership with {B}.",
    "A memorandum on cooperation in {topic} was signed by the foreign ministers of {A} and {B}.",
    "The {Bdem} side presented its view of {topic} at the meeting.",
    "{speaker} recalled that {A} was among the first to recognise the independence of {C}.",
    "The parties also exchanged views on regional security and the situation around {C}.",
    "Representatives of {org} and {B} will visit {Acap} next month.",
    "{A} welcomes the decision of {B} to reopen its consulate in {Ccap}.",
    "The visit of the {Cdem} foreign minister to {Acap} is scheduled for the spring.",
    "{A} supports the efforts of {org} to find a lasting settlement in {C}.",
    "Flights between {Acap} and {Bcap} will resume on {weekday}, the {role} announced.",
    "Students from {B} will be able to study at universities in {A} under the new programme.",
    "The {role} congratulated the people of {C} on their national holiday.",
];

/// Sentences without a country: the connective tissue of real statements.
pub(crate) const FILLERS: &[&str] = &[
    "The spokesperson answered questions from journalists on a range of topics.",
    "The next briefing will take place on {weekday} at the usual time.",
    "Further details will be published on the ministry's website.",
    "The parties reaffirmed their commitment to a peaceful settlement of all disputes.",
    "Officials said the talks would continue next week, although no date has yet been set.",
    "The meeting was held in a constructive and friendly atmosphere.",
    "Both sides stressed the importance of regular political consultations.",
    "The agreement covers cooperation in transport, education, culture and public health.",
    "Experts from the relevant ministries will meet to prepare the documents.",
    "The ministry will continue to keep the public informed of developments.",
    "In conclusion, the {role} thanked the journalists for their attention.",
    "This position has been stated repeatedly and remains unchanged.",
    "The working group is expected to present its recommendations before the end of the quarter.",
    "Asked about the timetable, the spokesperson declined to give a date.",
    "A detailed programme of the visit will be announced later.",
    "The documents signed today open a new chapter in practical cooperation.",
    "Consular services will operate on a reduced schedule during the holidays.",
    "The ministry reminds citizens travelling abroad to register with the nearest consulate.",
    "Preparations for the anniversary conference are proceeding according to plan.",
    "Participants paid tribute to the victims of the earthquake and offered condolences to their families.",
    "The press office received more than a hundred accreditation requests.",
    "Several ministers took part in the discussion by video link.",
    "Both delegations noted the growing interest of businesses in joint projects.",
    "The full text of the remarks is available in the archive of briefings.",
];

/// Subjects of titles and sentences.
pub(crate) const TOPICS: &[&str] = &[
    "regional security",
    "energy cooperation",
    "the transport corridor",
    "humanitarian assistance",
    "climate change",
    "migration",
    "trade and investment",
    "the peace process",
    "cultural exchanges",
    "arms control",
    "the protection of diplomatic missions",
    "food security",
];

/// Organisations named in statements, as the gazetteer spells them.
pub(crate) const ORGANISATIONS: &[&str] = &[
    "the United Nations",
    "the European Union",
    "NATO",
    "the OSCE",
    "the African Union",
    "the Council of Europe",
    "ASEAN",
    "the Shanghai Cooperation Organisation",
];

/// The roles of the people who speak.
pub(crate) const ROLES: &[&str] = &[
    "spokesperson of the Ministry of Foreign Affairs",
    "foreign minister",
    "deputy foreign minister",
    "presidential spokesperson",
    "head of the press service",
];

/// Invented outlets (their hosts end in `.example`).
pub(crate) const OUTLETS: &[&str] = &[
    "Ministry of Foreign Affairs press service",
    "State News Agency",
    "The Daily Courier",
    "Capital Herald",
    "World Affairs Wire",
    "Regional Monitor",
    "Evening Dispatch",
    "Global Briefing",
];

/// Invented people: a first and a last name picked per country.
pub(crate) const FIRST_NAMES: &[&str] = &[
    "Anna", "Boris", "Chen", "Dana", "Emil", "Farida", "Goran", "Hana", "Ivo", "Jana", "Karim", "Lena",
    "Mehmet", "Nadia", "Omar", "Petra", "Rustam", "Sara", "Tomas", "Vera",
];
pub(crate) const LAST_NAMES: &[&str] = &[
    "Albers", "Brandt", "Castell", "Dorn", "Ekland", "Falk", "Grau", "Holm", "Ivers", "Jordal", "Kessel",
    "Lind", "Morrow", "Norden", "Ostrand", "Pell", "Quist", "Rask", "Storm", "Thal", "Ulven", "Voss",
    "Wendt",
];

pub(crate) const WEEKDAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
