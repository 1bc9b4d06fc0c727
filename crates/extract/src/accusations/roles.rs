//! From a sentence's cues to its accusations: which cues are real claims (not negated,
//! hypothetical, conditional, demanded or asked), who is accused by each, who accuses,
//! and what the sentence's categories are.
//!
//! The accused is found by position, after the cue's role (`cues.tsv`):
//! - agent cues (verbs): the agent after "by" ("organised by Armenia"), else a party right
//!   before the cue ("Armenia also committed"), else the nearest party before it in its
//!   clause (the subject); a passive verb without "by" names no agent;
//! - act cues (nouns): the agent after "by", a state organ after "of" ("the brutality of
//!   the Myanmar military"), a possessor or country adjective before ("Baku's
//!   provocations", "Russian aggression"), or the subject of "is" ("X is the aggressor");
//! - target cues: the party after the cue ("condemned Thailand"), or the subject when
//!   passive ("Iran was accused"); the subject of the active cue is the accuser;
//! - frames ("turned out to be not true"): the subject, else the party of the sentence
//!   before.
//!
//! - verbs of perpetration ("the army increased the violence"): the subject of the verb
//!   is the doer of the act noun it governs;
//! - havens: in a sentence of attack or terror, a country named as the doers' base
//!   ("militants based in Afghanistan", "from Afghan soil") or sponsor ("militants
//!   backed by Iran") is accused of harbouring or sponsoring them.
//!
//! Pronouns and anaphoric determiners ("it", "these terrorist acts", "such
//! provocations") point back to the party accused in the last three sentences, else to
//! the party named in the last two.

use super::lexicon::{
    with_lowercase, Categories, Hit, Role, Tag, AGGRESSION, HUMAN_RIGHTS, OTHER, TERRORISM,
};
use super::view::{Party, Referent, View};

/// How far back (in sentences) "these acts" may refer to an accused party.
const ACCUSED_MEMORY: usize = 3;
/// How far back (in sentences) "it" may refer to a named party.
const ACTOR_MEMORY: usize = 2;
/// Words between a cue and a negation or modal before it.
const MODIFIER_REACH: usize = 3;
/// Tokens between a target cue and the act it names ("condemned the latest brutal attacks").
const CONDEMNED_ACT_REACH: usize = 4;
/// Plain words between "is" and the act it predicates ("is among the top perpetrators").
const ACT_COMPLEMENT_WORDS: usize = 7;
/// Tokens between an act and its owner: "Israel's heinous and cruel attacks".
const OWNER_REACH: usize = 7;
/// Words between a verb of perpetration and the act it governs.
const PERPETRATION_REACH: usize = 4;
/// Words naming the victims between a state's practice and the country it is in ("the
/// persecution of ethnic Peruvians in Bolivia").
const PRACTICE_VICTIM_WORDS: usize = 4;
/// Tokens from "what" in "what it called" to the act it names ("what it called Berlin's
/// blatant interference").
const WHAT_IT_CALLED_REACH: usize = 9;
/// Tokens between a verb of hiring or ordering and the act its infinitive leads to
/// ("offered to pay Amirov and Omarov $500,000 to plan Alinejad's murder").
const INSTIGATION_REACH: usize = 16;
/// Words between "for allegedly" and the act given as grounds ("for allegedly trying to
/// undermine").
const GROUNDS_REACH: usize = 4;
/// Organ classes of `organs.tsv` whose members use force.
const ARMED_CLASSES: [&str; 2] = ["military", "security"];
/// Tokens between the doers and the phrase naming their sponsor ("Hezbollah, acting at
/// the behest of").
const HAVEN_DOER_REACH: usize = 3;
/// Tokens between a passive verb and the "by" of its agent ("was shelled on Monday by").
const PASSIVE_AGENT_REACH: usize = 8;

/// Words that may qualify a cue used as a noun between it and its determiner ("the
/// indiscriminate killing", "to deadly attacks").
const NOUN_QUALIFIERS: usize = 2;

/// Tokens between an armed act's verb and the words it is aimed at ("attacked The Wall
/// Street Journal newspaper").
const DISCOURSE_OBJECT_REACH: usize = 6;

/// Tokens between a verb of detention and the dissent it answers ("arrested at least
/// 2,400 people for suspected participation in the anti-coup demonstrations").
const DISSENT_REACH: usize = 12;

/// Tokens between the subject of a passive verb and the verb ("Journalists were
/// detained").
const PASSIVE_SUBJECT_REACH: usize = 4;

/// Sentences back that a reported claim with no content of its own takes its category
/// from.
const TOPIC_MEMORY: usize = 6;

/// Tokens between an act and a sponsor phrase that names who instigated it ("hybrid
/// operations … realized at the behest of").
const INSTIGATOR_REACH: usize = 4;

/// Tokens between a group called terrorist and the named group it describes ("the BLA,
/// a designated terror group", "terrorist groups, such as al Qaida").
const LABEL_REACH: usize = 5;

/// The longest quotation taken for scare quotes rather than a quoted clause.
const SCARE_QUOTE_WORDS: usize = 3;

/// What earlier sentences established. Codes are borrowed, as in `Record`.
#[derive(Debug, Default)]
pub struct Memory<'a> {
    /// The parties accused in the last accusing sentence, and its index.
    accused: Option<(usize, Vec<&'a str>)>,
    /// Who accused whom there, for a later denial of "the accusations".
    accusers: Vec<(&'a str, &'a str)>,
    /// The first party named as a doer in the last sentence that named one.
    actor: Option<(usize, &'a str)>,
    /// The categories of the last accusing sentence that named any but "other", and its
    /// index: the context a reported claim's category comes from.
    topic: Option<(usize, Categories)>,
}

/// One accusation of a sentence, before it is placed in the text. Its codes and cue are
/// borrowed from the mentions, the lexicon, the voices and the text, never allocated:
/// only the accusations kept are given strings of their own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a> {
    pub accuser: &'a str,
    pub accused: &'a str,
    pub categories: Categories,
    pub cue: &'a str,
}

/// What stands before a token of a sentence, each as a token index plus one, 0 for
/// nothing: the last clause end (a comma, semicolon or colon), the last end of a demand's
/// reach (a new clause, a reason, a contrast), the last condition ("if") and the last
/// appeal that is no way of saying ("we call on", not "must say").
#[derive(Debug, Default, Clone, Copy)]
struct Clause {
    clause_end: u32,
    demand_end: u32,
    condition: u32,
    appeal: u32,
}

/// A sentence read from its start up to token `read`, and what stands before that token.
#[derive(Debug, Default)]
struct Clauses {
    read: usize,
    before: Clause,
}

/// Whom a rule found.
enum Found<'a> {
    Parties(Vec<&'a str>),
    /// A pointer back to an earlier sentence.
    Earlier,
    Nobody,
}

/// Words before a cue that make it a noun phrase ("the attack", "acts of"), so the
/// nearest party before it is not its subject.
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "of", "any", "all", "this", "these", "that", "those", "such", "its", "their", "his",
    "her", "latest", "another", "new", "first", "second", "alleged", "recent", "further", "every", "each",
    "no", "in", "for", "against", "on", "from", "with", "after", "before", "over", "about",
];

/// Verbs that pass a verdict on what follows them ("called Ford's comments egregious").
const VERDICT_VERBS: &[&str] =
    &["called", "calls", "call", "described", "branded", "labelled", "labeled", "termed"];

/// Verbs of ceasing: what a demand asks to stop is going on.
const CEASING: &[&str] = &["stop", "cease", "end", "halt"];

/// Words that open a new clause: the subject search stops there.
const CLAUSE_OPENERS: &[&str] = &["which", "who", "whom", "whose", "while", "whereas", "although", "because"];

/// Verbs that, like "is", make the act after them their subject's ("These actions
/// constitute a violation").
const COPULA_VERBS: &[&str] =
    &["constitute", "constitutes", "constituted", "represent", "represents", "represented"];

/// Words after which a demand no longer governs the clause: a reason or a contrast.
const DEMAND_ENDS: &[&str] = &["but", "since", "after", "as", "saying", "said", "says"];

/// Whether `word` (any case) is one of `CLAUSE_OPENERS` or `DEMAND_ENDS`, which end the
/// reach of a demand. Most words are ruled out by their length and first letter alone.
fn ends_demand(word: &str) -> bool {
    let (lengths, letters) = DEMAND_END_SHAPES;
    let Some(first) = word.as_bytes().first() else { return false };
    lengths & 1 << word.len().min(63) != 0
        && letters & 1 << ((first | 0x20) & 31) != 0
        && CLAUSE_OPENERS.iter().chain(DEMAND_ENDS).any(|opener| word.eq_ignore_ascii_case(opener))
}

/// A bit for the length (up to 63) and a bit for the first byte, ASCII case folded (bit
/// 5 set, modulo 32), of every word that ends a demand's reach: words equal but for case
/// share both bits.
const DEMAND_END_SHAPES: (u64, u32) = {
    let (mut lengths, mut letters) = (0u64, 0u32);
    let lists = [CLAUSE_OPENERS, DEMAND_ENDS];
    let mut list = 0;
    while list < lists.len() {
        let mut index = 0;
        while index < lists[list].len() {
            let word = lists[list][index].as_bytes();
            let length = if word.len() < 63 { word.len() } else { 63 };
            lengths |= 1 << length;
            letters |= 1 << ((word[0] | 0x20) & 31);
            index += 1;
        }
        list += 1;
    }
    (lengths, letters)
};

pub fn accusations_in<'a>(
    text: &'a str,
    sentence: &str,
    view: &View<'a>,
    voice: &'a str,
    memory: &mut Memory<'a>,
    index: usize,
) -> Vec<Record<'a>> {
    let rules = Rules { text, view, voice, memory, index };
    let records = if is_question(sentence) { Vec::new() } else { rules.records() };
    // Who merely reports ("…, Gutwillig said") is no doer a later "they" could mean.
    let reports = |party: &&Party| {
        let tagged = |index: usize| view.hit_at(index).is_some_and(|(_, _, hit)| hit.has(Tag::Reporting));
        tagged(party.last + 1) || party.first.checked_sub(1).is_some_and(tagged)
    };
    let actor =
        view.parties.iter().filter(|party| !party.is_place).find(|party| !reports(party)).and_then(|party| {
            match &party.referent {
                Referent::Country(code) => Some(*code),
                _ => None,
            }
        });
    if let Some(record) = records.first().filter(|record| record.categories & !OTHER != 0) {
        memory.topic = Some((index, record.categories));
    }
    if !records.is_empty() {
        // The memory's vectors are reused from one accusing sentence to the next rather
        // than allocated anew.
        let (at, accused) = memory.accused.get_or_insert_with(Default::default);
        *at = index;
        accused.clear();
        accused.extend(records.iter().map(|record| record.accused));
        memory.accusers.clear();
        memory.accusers.extend(records.iter().map(|record| (record.accuser, record.accused)));
    }
    if let Some(actor) = actor {
        memory.actor = Some((index, actor));
    }
    records
}

/// A question asks rather than asserts.
fn is_question(sentence: &str) -> bool {
    sentence.trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')', ' ']).ends_with('?')
}

struct Rules<'r, 'a> {
    text: &'a str,
    view: &'r View<'a>,
    voice: &'a str,
    memory: &'r Memory<'a>,
    index: usize,
}

impl<'a> Rules<'_, 'a> {
    fn records(&self) -> Vec<Record<'a>> {
        let view = self.view;
        // In the narrator's voice, "sanctioned by the U.S. Treasury" names who accuses.
        let narrator_cites = (self.voice == "XX").then(|| self.passive_accuser()).flatten();
        let mut records: Vec<Record<'a>> = Vec::new();
        let mut categories: Categories = 0;
        let mut governed: Categories = 0;
        let mut live = false;
        let denial = view.hits.iter().find(|(_, _, hit)| hit.has(Tag::Denial)).map(|(first, _, _)| *first);
        let denier = denial.and_then(|at| self.denier(at));
        let reported = match denial {
            Some(at) => self.reported_claim(at, denier),
            None => self.dismissed_claim(),
        };
        let claimed = reported.is_some();
        records.extend(reported);
        if let (Some(at), Some("XX")) = (denial, denier) {
            records.extend(self.havens_in_denied_claim(at));
        }
        let mut clauses = Clauses::default();
        for (first, last, hit) in view.hits {
            // "arrested dozens of opposition activists": detaining dissent is an abuse.
            // "the exiled opposition leader": after a determiner or a possessive the
            // participle describes, it tells of no deed.
            let described = hit.has(Tag::Detention)
                && first.checked_sub(1).is_some_and(|before| {
                    let word = self.word(before);
                    word == "s" || DETERMINERS.iter().any(|determiner| word.eq_ignore_ascii_case(determiner))
                });
            let detains_dissent = hit.has(Tag::Detention)
                && !described
                && (self.dissent_after(*last) || self.is_passive(*first) && self.dissent_before(*first));
            let Some((role, cue_categories)) =
                hit.cue().or(detains_dissent.then_some((Role::Agent, HUMAN_RIGHTS)))
            else {
                categories |= hit.categories();
                continue;
            };
            // Under a demand, only an act the sentence pins on a party still accuses:
            // "stop Israel's attacks" says the attacks happen.
            // So does one pointed at ("this dangerous abuse must be rejected"): the
            // demonstrative presupposes the act.
            // So does one it demands to stop ("must stop killing civilians"): to stop, the
            // act must be going on.
            let owned = matches!(role, Role::Act | Role::Agent)
                && (matches!(self.owner_before(*first), Some(Found::Parties(_))) || self.ceased(*first))
                || role == Role::Act && self.pointed_at(*first);
            // "denied the claim and accused Athens of …": an accusation of its own after the
            // denial is the denier's, not the claim's content.
            // So is any act told after a reporting verb that follows the denial ("rejected
            // Egypt's accusations and said Cairo was trying to destabilise").
            let counter_accusation = role == Role::Target
                && first.checked_sub(1).is_some_and(|before| {
                    ["and", ","].iter().any(|word| self.word(before).eq_ignore_ascii_case(word))
                })
                || denial.is_some_and(|at| (at + 1..*first).any(|index| self.tagged(index, Tag::Reporting)));
            if denial.is_some_and(|at| at < *first) && !counter_accusation {
                // What is denied is the claim's content: its categories are the reported
                // claim's ("rejected Pakistan's claim that it sheltered terrorists").
                categories |= cue_categories;
                continue;
            }
            if self.is_blocked(*first, owned, &mut clauses) {
                // "accused of planning to kidnap": the hypothetical act still names what
                // the accusation is about, should nothing else.
                governed |= cue_categories;
                continue;
            }
            if self.duty_not_deed(*last) || cue_categories & AGGRESSION != 0 && self.aimed_at_words(*last) {
                continue;
            }
            live = true;
            // What a sentence accuses of is in all its cues, also those whose own party
            // is not named ("blamed India for the bombing").
            categories |= cue_categories;
            if role == Role::Target {
                let mutual = self.mutual_accusers(*first, *last);
                if !mutual.is_empty() {
                    let cue = &self.text[hit.start..hit.end];
                    for accused in &mutual {
                        // Of two, the other accuses; of more, several do, which is `XX`.
                        let accuser = match &mutual[..] {
                            [one, other] => {
                                if one == accused {
                                    *other
                                } else {
                                    *one
                                }
                            }
                            _ => "XX",
                        };
                        if !records.iter().any(|record| record.accused == *accused) {
                            records.push(Record { accuser, accused: *accused, categories: 0, cue });
                        }
                    }
                    continue;
                }
            }
            let (found, accuser) = match role {
                Role::Agent => (self.agent(*first, *last), None),
                Role::Act => {
                    let violent = cue_categories & (AGGRESSION | HUMAN_RIGHTS) != 0;
                    let found = match self.act(*first, *last) {
                        // An armed organ that reports the act ("Israel's military said the
                        // strikes targeted …") tells of its own deeds.
                        Found::Nobody if violent => self
                            .acting_armed_organ()
                            .filter(|code| *code != self.voice)
                            .map_or(Found::Nobody, |code| Found::Parties(vec![code])),
                        found => found,
                    };
                    (found, None)
                }
                Role::Target => {
                    let (found, accuser) = self.target(*first, *last);
                    // "X blamed Y, accusing it of …": the participle shares X as accuser.
                    let participle =
                        self.word(*first).ends_with("ing") && self.word(first.wrapping_sub(1)) == ",";
                    // "Hungary blocked EU aid to Ukraine, accusing Kyiv of …": else the
                    // participle speaks for the main clause's subject, its first party.
                    let shared = records
                        .first()
                        .map(|record| record.accuser)
                        .or_else(|| participle.then(|| self.main_clause_subject(*first)).flatten());
                    (found, if participle && shared.is_some() { shared } else { accuser })
                }
                Role::Frame => (self.frame(*first), None),
            };
            let accused = match found {
                Found::Parties(parties) => parties,
                Found::Earlier => self.earlier(&records),
                Found::Nobody => continue,
            };
            let accuser = accuser
                .or_else(|| self.what_it_called(*first))
                .or_else(|| narrator_cites)
                .or_else(|| self.grounds_giver(*first))
                .or_else(|| self.verdict_giver(*first))
                .unwrap_or_else(|| self.voice);
            let cue = &self.text[hit.start..hit.end];
            for accused in accused {
                if !records.iter().any(|record| record.accused == accused) {
                    records.push(Record { accuser, accused, categories: 0, cue });
                }
            }
        }
        // Harbouring is an accusation only where the doers attack or terrorise.
        let violent = categories & (TERRORISM | AGGRESSION) != 0;
        if live && violent {
            for accused in self.havens() {
                if !records.iter().any(|record| record.accused == accused) {
                    let cue = "haven";
                    records.push(Record { accuser: self.voice, accused, categories: 0, cue });
                }
            }
        }
        if categories == 0 {
            categories = if governed != 0 { governed } else { OTHER };
        }
        // "We reject the baseless allegations made by Pakistan": a reported claim that
        // says nothing of its content is about what the text has been telling of.
        if categories == OTHER && claimed {
            if let Some((at, topic)) = self.memory.topic {
                if self.index - at <= TOPIC_MEMORY {
                    categories = topic;
                }
            }
        }
        // The guideline wants the most specific category: "other" only when none is.
        if categories & !OTHER != 0 {
            categories &= !OTHER;
        }
        for record in &mut records {
            record.categories = categories;
        }
        records
    }

    /// Countries a sentence of wrongdoing names as the base of its doers: "militants
    /// with bases in Afghanistan", "operating from Afghanistan", "planned from Afghan
    /// soil". Harbouring them is the accusation.
    fn havens(&self) -> Vec<&'a str> {
        self.havens_after(0)
    }

    /// The havens named by hits that start after token `from`.
    fn havens_after(&self, from: usize) -> Vec<&'a str> {
        let mut havens = Vec::new();
        for (first, last, hit) in self.view.hits.iter().filter(|(first, _, _)| *first >= from) {
            // The doers stand just before their sponsor ("militants backed by Iran",
            // "Hezbollah, acting at the behest of Iran"); "the resolution, backed by
            // France" names no doers.
            let doers_before = self.view.parties.iter().any(|party| {
                !party.is_place && party.last < *first && first - party.last <= HAVEN_DOER_REACH
            });
            let party = if hit.has(Tag::Haven) || hit.has(Tag::Sponsor) && doers_before {
                self.view.parties.iter().find(|party| party.first > *last && party.first <= last + 2)
            } else if hit.has(Tag::HavenGround) {
                // "from Afghan soil", "from Afghanistan's territory", "Pakistan-based".
                self.view.parties.iter().rev().find(|party| {
                    let hyphened = party.last + 2 == *first && self.word(party.last + 1) == "-";
                    party.last < *first
                        && first - party.last <= 3
                        && (hyphened || self.word(party.first.wrapping_sub(1)).eq_ignore_ascii_case("from"))
                })
            } else {
                None
            };
            if let Some(Referent::Country(code) | Referent::Adjective(code)) =
                party.map(|party| &party.referent)
            {
                if *code != "XX" && !havens.iter().any(|haven| haven == code) {
                    havens.push(*code);
                }
            }
        }
        havens
    }

    fn word(&self, index: usize) -> &str {
        self.view.word(self.text, index)
    }

    fn hit_at(&self, index: usize) -> Option<&Hit<'_>> {
        self.view.hit_at(index).map(|(_, _, hit)| hit)
    }

    fn tagged(&self, index: usize, tag: Tag) -> bool {
        self.view.has_tag_at(index, tag)
    }

    fn is_punctuation(&self, index: usize) -> bool {
        self.view.tokens.get(index).is_some_and(|token| !token.is_word)
    }

    /// Negated ("did not violate"), hypothetical ("could attack"), conditional ("if
    /// Armenia attacks") or demanded ("we call on France to stop the shelling"). The
    /// sentence's `clauses` are read up to the cue.
    fn is_blocked(&self, cue: usize, owned: bool, clauses: &mut Clauses) -> bool {
        let lower = cue.saturating_sub(MODIFIER_REACH);
        for before in (lower..cue).rev() {
            if self.is_punctuation(before) || self.word(before).eq_ignore_ascii_case("that") {
                break;
            }
            if self.tagged(before, Tag::Negation) || self.tagged(before, Tag::Modal) {
                return true;
            }
        }
        let clause = self.clause_before(clauses, cue);
        clause.condition > clause.clause_end || !owned && clause.appeal > clause.demand_end
    }

    /// What stands before token `cue` in the sentence, read on from where `clauses` was
    /// left: cues come in text order, so a sentence is read once for all of them.
    fn clause_before(&self, clauses: &mut Clauses, cue: usize) -> Clause {
        if cue < clauses.read {
            *clauses = Clauses::default();
        }
        let clause = &mut clauses.before;
        for index in clauses.read..cue {
            let word = self.word(index);
            let at = index as u32 + 1;
            if matches!(word, "," | ";" | ":") {
                clause.clause_end = at;
            }
            // A demand reaches to the end of its clause, not over a new one: "we urge
            // them to talk, because Armenia attacked us".
            if matches!(word, ";" | ":" | "\u{2014}" | "\u{2013}") || ends_demand(word) {
                clause.demand_end = at;
            }
            if self.tagged(index, Tag::Condition) {
                clause.condition = at;
            }
            if self.tagged(index, Tag::Appeal) && !self.is_saying(index) {
                clause.appeal = at;
            }
        }
        clauses.read = cue;
        clauses.before
    }

    /// Whether a verb of ceasing stands right before the cue, over an article or a
    /// possessive: "stop killing", "end its occupation", "cease the shelling".
    fn ceased(&self, cue: usize) -> bool {
        let mut before = cue;
        for _ in 0..3 {
            let Some(previous) = before.checked_sub(1) else { return false };
            let word = self.word(previous);
            if CEASING.iter().any(|verb| word.eq_ignore_ascii_case(verb)) {
                return true;
            }
            // "stop making provocations": a plain gerund that does the act.
            let doing = word.ends_with("ing") && self.hit_at(previous).is_none();
            if !doing
                && !["the", "its", "their", "his", "her"]
                    .iter()
                    .any(|article| word.eq_ignore_ascii_case(article))
            {
                return false;
            }
            before = previous;
        }
        false
    }

    /// "must say", "should note": the modal introduces a statement, not a demand.
    fn is_saying(&self, appeal: usize) -> bool {
        let Some((_, last, _)) = self.view.hit_at(appeal) else { return false };
        self.tagged(last + 1, Tag::Reporting)
    }

    fn is_passive(&self, cue: usize) -> bool {
        // Irregular participles: "were stolen", "was shot", "were held".
        let word = self.word(cue);
        let participle = word.ends_with("ed")
            || word.ends_with("en")
            || ["accused", "shot", "held", "struck", "hit"]
                .iter()
                .any(|form| word.eq_ignore_ascii_case(form));
        participle
            && (1..=2)
                .any(|back| cue.checked_sub(back).is_some_and(|before| self.tagged(before, Tag::Passive)))
    }

    fn agent(&self, first: usize, last: usize) -> Found<'a> {
        // "defying decisions by the court": after an active form "by" names no agent.
        let active = self.word(first).to_ascii_lowercase().ends_with("ing");
        if let Some(found) = self.by_agent(last).filter(|_| !active) {
            return found;
        }
        if self.is_passive(first) || self.reduced_passive(first, last) {
            return self.far_by_agent(last).unwrap_or(Found::Nobody);
        }
        if let Some(found) = self.for_gerund_doer(first) {
            return found;
        }
        if self.reports_own_forces(first) {
            return Found::Nobody;
        }
        if let Some(found) = self.attached_before(first) {
            return found;
        }
        if let Some(previous) = first.checked_sub(1) {
            // "bombings in Istanbul that killed 44 people": before a verb, "that" is a
            // relative pronoun, whose antecedent is right before it, not in an earlier
            // sentence.
            if self.word(previous).eq_ignore_ascii_case("that") {
                return self.relative_antecedent(previous).unwrap_or(Found::Nobody);
            }
            if self.tagged(previous, Tag::Anaphor) {
                return Found::Earlier;
            }
            let word = self.word(previous);
            if DETERMINERS.iter().any(|determiner| word.eq_ignore_ascii_case(determiner))
                || self.noun_use(first)
            {
                // "the shelling of our villages by the Bolivian army": after an article the
                // verb is a noun, and "by" names its doer.
                let article = ["the", "a", "an", "this", "these", "such"]
                    .iter()
                    .any(|article| word.eq_ignore_ascii_case(article));
                return if article {
                    self.far_by_agent(last).unwrap_or(Found::Nobody)
                } else {
                    Found::Nobody
                };
            }
        }
        match self.subject(first) {
            Some(Found::Parties(parties)) => Found::Parties(parties),
            found => self.instigator_before(first).or(found).unwrap_or(Found::Nobody),
        }
    }

    /// "The army chief said his forces had killed 1,000 fighters": a party that reports
    /// what "his" or "its" forces did tells of its own deeds, which accuses no one.
    fn reports_own_forces(&self, first: usize) -> bool {
        let Some(party) = self.subject_party(first) else { return false };
        let possessed = party.first > 0
            && ["his", "her", "its", "their"]
                .iter()
                .any(|pronoun| self.word(party.first - 1).eq_ignore_ascii_case(pronoun));
        possessed && party.is_organ && (0..party.first).any(|index| self.tagged(index, Tag::Reporting))
    }

    /// The party a relative pronoun at `that` stands for: the one right before it ("the
    /// Russian forces that shelled the town").
    fn relative_antecedent(&self, that: usize) -> Option<Found<'a>> {
        let party =
            self.view.parties.iter().rev().find(|party| party.last < that && that - party.last <= 2)?;
        match &party.referent {
            Referent::Country(code) | Referent::Adjective(code) if !party.is_place => {
                Some(Found::Parties(vec![*code]))
            }
            _ => None,
        }
    }

    /// "Armenia and Azerbaijan accused each other": the countries of the subject, each
    /// accusing the others; empty unless the cue's object is "each other" or "one another"
    /// and the subject names two countries or more.
    fn mutual_accusers(&self, first: usize, last: usize) -> Vec<&'a str> {
        let (one, other) = (self.word(last + 1), self.word(last + 2));
        let reciprocal = one.eq_ignore_ascii_case("each") && other.eq_ignore_ascii_case("other")
            || one.eq_ignore_ascii_case("one") && other.eq_ignore_ascii_case("another");
        if !reciprocal {
            return Vec::new();
        }
        let Some(mut head) = self.subject_party(first) else { return Vec::new() };
        // The subject is the nearest of the list; the list starts at its first party.
        while let Some(before) = self.view.parties.iter().rev().find(|party| {
            party.last < head.first
                && (party.last + 1..head.first).all(|between| matches!(self.word(between), "," | "and"))
        }) {
            head = before;
        }
        let codes = self.listed_from(head);
        if codes.len() < 2 {
            return Vec::new();
        }
        codes
    }

    /// "civilians killed in the strike", "the remains of Iranians killed in Aleppo": a
    /// participle right after plain people, or after a nationality, and before a place is
    /// a passive without "be"; they are who suffered it. So is one right after an act
    /// ("crimes committed during the unrest").
    fn reduced_passive(&self, first: usize, last: usize) -> bool {
        let Some(previous) = first.checked_sub(1) else { return false };
        let sufferers = self.tagged(previous, Tag::People)
            || self
                .view
                .party_at(previous)
                .is_some_and(|party| matches!(party.referent, Referent::Adjective(_)));
        // "crimes committed during the unrest": a participle right after the act it
        // governs is passive, whatever follows it.
        let act_before =
            self.hit_at(previous).is_some_and(|hit| hit.cue().is_some_and(|(role, _)| role == Role::Act));
        self.word(last).ends_with("ed") && (act_before || sufferers && self.tagged(last + 1, Tag::Location))
    }

    /// "the indiscriminate killing of civilians", "accustomed to deadly attacks": a cue
    /// in "-ing" or "-s" after a determiner and a word or two that qualify it is a noun,
    /// whose doer is not the sentence's subject. After other prepositions it may still be
    /// the subject's ("struck in coordinated attacks", "for allegedly meddling").
    fn noun_use(&self, first: usize) -> bool {
        let word = self.word(first);
        if !(word.ends_with("ing") || word.ends_with('s')) {
            return false;
        }
        let mut index = first;
        for _ in 0..NOUN_QUALIFIERS {
            let Some(previous) = index.checked_sub(1) else { return false };
            let qualifier = self.word(previous);
            let plain = self.view.tokens[previous].is_word
                && qualifier.starts_with(|c: char| c.is_ascii_lowercase())
                && self.hit_at(previous).is_none()
                && self.view.party_at(previous).is_none();
            if !plain {
                return false;
            }
            let before = self.word(previous.wrapping_sub(1));
            if before.eq_ignore_ascii_case("to") {
                return true;
            }
            // "the body that also organizes": "that" opens a relative clause here.
            let relative = before.eq_ignore_ascii_case("that");
            if !relative
                && !self.tagged(previous.wrapping_sub(1), Tag::Location)
                && DETERMINERS.iter().any(|determiner| before.eq_ignore_ascii_case(determiner))
            {
                return true;
            }
            index = previous;
        }
        false
    }

    /// The doer of an act named by a noun.
    fn act(&self, first: usize, last: usize) -> Found<'a> {
        if let Some(found) = self.by_agent(last) {
            return found;
        }
        if let Some(found) = self.instigator_after(last) {
            return found;
        }
        if let Some(found) = self.source_after(last) {
            return found;
        }
        if let Some(found) = self.organ_after_of(last) {
            return found;
        }
        if let Some(found) = self.owner_before(first) {
            return found;
        }
        if let Some(found) = self.state_practice_in(first, last) {
            return found;
        }
        if let Some((_, object)) = self.grounds(first) {
            return Found::Parties(vec![object]);
        }
        // "these terrorists" are the non-state doers themselves, not the party named before;
        // so is a terrorist group set beside a named one ("the BLA, a designated terror group").
        let anaphoric = first > 0 && self.tagged(first - 1, Tag::Anaphor);
        if self.hit_at(first).is_some_and(|hit| hit.has(Tag::NonState))
            && (anaphoric || self.labels_named_group(first, last))
        {
            return Found::Parties(vec!["XX"]);
        }
        let mut before = first;
        while before > 0
            && ["the", "a", "an"].iter().any(|article| self.word(before - 1).eq_ignore_ascii_case(article))
        {
            before -= 1;
        }
        // "is among the top perpetrators": over a few plain words to "is".
        let mut over_words = before;
        for _ in 0..ACT_COMPLEMENT_WORDS {
            let Some(previous) = over_words.checked_sub(1) else { break };
            let plain = match self.hit_at(previous) {
                Some(hit) => hit.tags == [Tag::Location],
                None => true,
            };
            // "the EU is “one of the most abusive …”": an opening quotation mark is no word.
            let opening_quote = matches!(self.word(previous), "\"" | "\u{201C}");
            // "a clear signal that continued corruption …": the act is in a clause of its
            // own, not the complement of the "is" before it.
            let opens_clause = self.word(previous).eq_ignore_ascii_case("that")
                || CLAUSE_OPENERS.iter().any(|opener| self.word(previous).eq_ignore_ascii_case(opener));
            if !(self.view.tokens[previous].is_word || opening_quote)
                || !plain
                || opens_clause
                || self.is_copula(previous)
            {
                break;
            }
            over_words = previous;
        }
        // "Haiti is suffering from gang violence": "is" with a participle is a verb of its
        // own, not the copula of a verdict.
        let progressive = self.word(over_words).ends_with("ing");
        if over_words > 0 && over_words < before && !progressive && self.is_copula(over_words - 1) {
            return self.complement_subject(over_words - 1);
        }
        if before > 0 && self.tagged(before - 1, Tag::Anaphor) || self.pointed_at(first) {
            return Found::Earlier;
        }
        // "Putin is the aggressor": the subject of "is".
        if before > 0 && self.is_copula(before - 1) {
            return self.complement_subject(before - 1);
        }
        // "the army increased the violence": the subject of a verb of perpetration with
        // the act as its object, over a few adjectives ("waged a brutal war").
        let lower = before.saturating_sub(PERPETRATION_REACH);
        for index in (lower..before).rev() {
            if self.tagged(index, Tag::Perpetrate) {
                // "a signal that continued corruption has consequences": a participle right
                // after a determiner describes the act; it is no verb with a subject.
                let described = index + 1 == before
                    && self.word(index).ends_with("ed")
                    && index.checked_sub(1).is_some_and(|previous| {
                        DETERMINERS
                            .iter()
                            .any(|determiner| self.word(previous).eq_ignore_ascii_case(determiner))
                    });
                if described {
                    break;
                }
                // "designated the Bolivian colonel for his involvement in": the one the
                // possessive stands for, named just before it, perpetrated.
                let verb_first = self.view.hit_at(index).map_or(index, |(first, _, _)| *first);
                if let Some(possessive) = verb_first.checked_sub(1).filter(|possessive| {
                    ["his", "her"].iter().any(|word| self.word(*possessive).eq_ignore_ascii_case(word))
                }) {
                    let holder = self
                        .view
                        .parties
                        .iter()
                        .rev()
                        .find(|party| party.last < possessive && !party.is_place);
                    return match holder.map(|party| party.referent) {
                        Some(Referent::Country(code) | Referent::Adjective(code)) => {
                            Found::Parties(vec![code])
                        }
                        _ => Found::Nobody,
                    };
                }
                return self.subject(index).unwrap_or(Found::Nobody);
            }
            // "spreading “fake news”": an opening quotation mark stands between.
            let opening_quote = matches!(self.word(index), "\"" | "\u{201C}") && index + 1 == before;
            if !(self.view.tokens[index].is_word || opening_quote) || self.hit_at(index).is_some() {
                break;
            }
        }
        // "We urge the Philippine side to stop making provocations": the state asked to
        // stop the act does it. A body named there ("calls by the Security Council to end
        // violations") is more often the one asking.
        if self.ceased(first) {
            if let Some(Found::Parties(parties)) = self.subject(first) {
                if parties.iter().all(|party| *party != "XX") {
                    return Found::Parties(parties);
                }
            }
        }
        self.instigator_before(first).unwrap_or(Found::Nobody)
    }

    /// "Tehran offered to pay the men $500,000 to plan the murder", "ordered his men to
    /// kill": the subject of a verb of hiring, paying or ordering, before the infinitive
    /// that leads to the act, instigated it.
    fn instigator_before(&self, first: usize) -> Option<Found<'a>> {
        let lower = first.saturating_sub(INSTIGATION_REACH);
        let mut infinitive = false;
        for index in (lower..first).rev() {
            let word = self.word(index);
            if matches!(word, ";" | ":" | "\"" | "\u{201C}" | "\u{201D}" | "(" | ")" | ".")
                || self.tagged(index, Tag::Reporting)
            {
                return None;
            }
            if word.eq_ignore_ascii_case("to") {
                infinitive = true;
            }
            if infinitive && self.tagged(index, Tag::Instigate) {
                return match self.subject(index)? {
                    Found::Parties(parties) => Some(Found::Parties(parties)),
                    _ => None,
                };
            }
        }
        None
    }

    /// Whose act a complement of "is" at `verb` names: its subject's ("Putin is the
    /// aggressor"), or, for "This is a typical act of coercion", the party that "this"
    /// points back to.
    fn complement_subject(&self, verb: usize) -> Found<'a> {
        // "amount to": the subject stands before "amount".
        let verb = if self.word(verb).eq_ignore_ascii_case("to") { verb.saturating_sub(1) } else { verb };
        // A closing quotation mark before "that" ("“a disaster” that represented") ends no
        // clause: "that" is a relative pronoun there.
        let opens_clause = |index: usize| {
            index == 0
                || match self.word(index - 1) {
                    "\u{201D}" => false,
                    "\"" => index < 2 || !self.view.tokens[index - 2].is_word,
                    _ => self.is_punctuation(index - 1),
                }
        };
        let demonstrative = verb.checked_sub(1).is_some_and(|before| {
            ["this", "that", "it", "these", "those"]
                .iter()
                .any(|word| self.word(before).eq_ignore_ascii_case(word))
                && opens_clause(before)
        });
        // "These actions constitute a gross violation": a demonstrative and a plain noun.
        let pointing_noun = verb.checked_sub(2).is_some_and(|before| {
            ["these", "this", "such", "those"].iter().any(|word| self.word(before).eq_ignore_ascii_case(word))
                && opens_clause(before)
                && self.view.tokens[before + 1].is_word
                && self.hit_at(before + 1).is_none()
                && self.view.party_at(before + 1).is_none()
        });
        if demonstrative || pointing_noun {
            return Found::Earlier;
        }
        // "the plan, which represented a betrayal": the relative pronoun's antecedent.
        if let Some(relative) = verb.checked_sub(1).filter(|before| {
            ["that", "which"].iter().any(|word| self.word(*before).eq_ignore_ascii_case(word))
        }) {
            return self.relative_antecedent(relative).unwrap_or(Found::Nobody);
        }
        self.subject(verb).or_else(|| self.adjective_subject(verb)).unwrap_or(Found::Nobody)
    }

    /// "the Bolivian blockade was a criminal policy": a country adjective in the subject
    /// right before the verb, over a plain word or two, owns what the verb says it is.
    fn adjective_subject(&self, verb: usize) -> Option<Found<'a>> {
        let lower = verb.saturating_sub(3);
        for index in (lower..verb).rev() {
            if let Some(party) = self.view.party_at(index) {
                return match party.referent {
                    Referent::Adjective(code) if !party.is_place => Some(Found::Parties(vec![code])),
                    _ => None,
                };
            }
            if !self.view.tokens[index].is_word || self.hit_at(index).is_some() {
                return None;
            }
        }
        None
    }

    /// Whether token `index` links a subject to an act as its complement: a form of "be"
    /// ("X is the aggressor"), or "constitutes", "represents", "amounts to".
    fn is_copula(&self, index: usize) -> bool {
        if self.tagged(index, Tag::Passive) {
            return true;
        }
        let word = self.word(index);
        if word.eq_ignore_ascii_case("to") {
            return index.checked_sub(1).is_some_and(|verb| {
                ["amount", "amounts", "amounted"]
                    .iter()
                    .any(|form| self.word(verb).eq_ignore_ascii_case(form))
            });
        }
        COPULA_VERBS.iter().any(|form| word.eq_ignore_ascii_case(form))
    }

    /// "corruption in Albania", "repression in Iran": a wrong that only a state's own
    /// organs can commit within its borders (`state_practice` in `modifiers.tsv`)
    /// accuses the country it is in.
    fn state_practice_in(&self, first: usize, last: usize) -> Option<Found<'a>> {
        let practice = self.hit_at(first).is_some_and(|hit| hit.has(Tag::StatePractice));
        if !practice {
            return None;
        }
        // "the persecution of ethnic Peruvians in Bolivia": over a few plain words of the
        // victims to "in".
        let mut at = last + 1;
        if self.word(at).eq_ignore_ascii_case("of") {
            at = (at + 1..=at + PRACTICE_VICTIM_WORDS).find(|index| {
                !self.view.tokens.get(*index).is_some_and(|token| token.is_word)
                    || self.word(*index).eq_ignore_ascii_case("in")
            })?;
            let plain = (last + 2..at).all(|index| {
                self.view
                    .party_at(index)
                    .map_or(true, |party| party.is_place || matches!(party.referent, Referent::Adjective(_)))
            });
            if !plain {
                return None;
            }
        }
        if !self.word(at).eq_ignore_ascii_case("in") {
            return None;
        }
        let party = self.view.parties.iter().find(|party| party.first > at && party.first <= at + 2)?;
        match &party.referent {
            Referent::Country(code) if *code != "XX" => Some(Found::Parties(vec![*code])),
            _ => None,
        }
    }

    /// "The United States barred three Albanian officials from entering on the ground of
    /// corruption": an act given as the grounds of what a country did to a state or its
    /// organs ("for", "over", "on the ground(s) of") is the object's, and the subject
    /// alleges it. A country's people ("a French citizen", an adjective) are not its
    /// state, so only countries, their organs and officials count as the object.
    fn grounds(&self, first: usize) -> Option<(&'a str, &'a str)> {
        let mut before = first.checked_sub(1)?;
        if self.word(before).ends_with("ly") {
            before = before.checked_sub(1)?;
        }
        // "summoned the Turkish ambassador over Turkish air strikes": the act's own country
        // adjective stands between.
        if let Some(party) =
            self.view.party_at(before).filter(|party| matches!(party.referent, Referent::Adjective(_)))
        {
            before = party.first.checked_sub(1)?;
        }
        // "expelled two Russian diplomats over the murder of".
        if ["the", "a", "an"].iter().any(|article| self.word(before).eq_ignore_ascii_case(article)) {
            before = before.checked_sub(1)?;
        }
        let word = self.word(before);
        let on_grounds = word.eq_ignore_ascii_case("of")
            && before.checked_sub(1).is_some_and(|noun| {
                ["ground", "grounds"].iter().any(|ground| self.word(noun).eq_ignore_ascii_case(ground))
            });
        if !(on_grounds || word.eq_ignore_ascii_case("for") || word.eq_ignore_ascii_case("over")) {
            return None;
        }
        // The clause's first party acts; the next one is acted on.
        let clause_start = (0..before)
            .rev()
            .find(|index| {
                let word = self.word(*index);
                matches!(word, "," | ";" | ":" | "\u{2014}" | "\"" | "\u{201C}" | "\u{201D}")
                    || CLAUSE_OPENERS.iter().any(|opener| word.eq_ignore_ascii_case(opener))
            })
            .map_or(0, |index| index + 1);
        let subject =
            self.view.parties.iter().find(|party| party.first >= clause_start && !party.is_place)?;
        let Referent::Country(subject_code) = subject.referent else { return None };
        let object = self
            .view
            .parties
            .iter()
            .find(|party| party.first > subject.last && party.last < before && !party.is_place)?;
        // "summoned the Turkish ambassador over": a nationality before an office names the
        // state's envoy; before a citizen it names no state.
        let envoy =
            matches!(object.referent, Referent::Adjective(_)) && self.tagged(object.last + 1, Tag::Title);
        match object.referent {
            Referent::Country(code) | Referent::Adjective(code)
                if code != "XX"
                    && code != subject_code
                    && subject_code != "XX"
                    && (envoy || matches!(object.referent, Referent::Country(_))) =>
            {
                Some((subject_code, code))
            }
            _ => None,
        }
    }

    /// "this abusive threat from Canada", "provocations from the Armenian side": the
    /// party an act comes from is its doer.
    fn source_after(&self, last: usize) -> Option<Found<'a>> {
        // One plain word may stand between: the noun an evaluative cue qualifies.
        let plain = |index: usize| {
            self.view.tokens.get(index).is_some_and(|token| token.is_word) && self.hit_at(index).is_none()
        };
        let from = [last + 1, last + 2].into_iter().find(|index| {
            self.word(*index).eq_ignore_ascii_case("from") && (*index == last + 1 || plain(last + 1))
        })?;
        let party = self.view.parties.iter().find(|party| party.first > from && party.first <= from + 2)?;
        match &party.referent {
            Referent::Country(code) | Referent::Adjective(code) if *code != "XX" => {
                Some(Found::Parties(vec![*code]))
            }
            _ => None,
        }
    }

    /// The one country whose armed organs (`organs.tsv`: military and security classes)
    /// act in the sentence ("the military trucks start to roll and the nightly raids
    /// begin"), if exactly one does: the doer of a violent act the sentence pins on no
    /// one else.
    fn acting_armed_organ(&self) -> Option<&'a str> {
        let mut organs = self.view.parties.iter().filter_map(|party| match &party.referent {
            Referent::Country(code)
                if party.is_organ && !party.is_place && *code != "XX" && self.armed(party) =>
            {
                Some(code)
            }
            _ => None,
        });
        let first = organs.next()?;
        organs.all(|code| code == first).then_some(*first)
    }

    /// Whether a party's organ word is of an armed class.
    fn armed(&self, party: &Party) -> bool {
        let Some(lexicon) = super::lexicon() else { return false };
        [party.last, party.first].into_iter().any(|index| {
            self.hit_at(index).is_some_and(|hit| {
                let phrase = &self.text[hit.start..hit.end];
                hit.has(Tag::Party)
                    && with_lowercase(phrase, |phrase| ARMED_CLASSES.contains(&lexicon.organ_class(phrase)))
            })
        })
    }

    /// "the brutality of the Myanmar military": a state organ after "of" is the doer (a
    /// bare country after "of" is as often the victim: "the occupation of Azerbaijan").
    fn organ_after_of(&self, last: usize) -> Option<Found<'a>> {
        if !self.word(last + 1).eq_ignore_ascii_case("of") {
            return None;
        }
        let party =
            self.view.parties.iter().find(|party| party.first > last + 1 && party.first <= last + 3)?;
        match &party.referent {
            Referent::Country(code) if party.is_organ => Some(Found::Parties(vec![*code])),
            _ => None,
        }
    }

    /// The owner of an act: a possessor ("Israel's heinous attacks", "its provocations")
    /// or a country adjective ("Russian aggression") with at most a few words between.
    fn owner_before(&self, first: usize) -> Option<Found<'a>> {
        let lower = first.saturating_sub(OWNER_REACH);
        for index in (lower..first).rev() {
            if let Some(party) = self.view.party_at(index) {
                let possessive = matches!(self.word(party.last + 1), "'" | "\u{2019}");
                let adjective = matches!(party.referent, Referent::Adjective(_)) || party.is_organ;
                if party.is_place || !(possessive || adjective) {
                    return None;
                }
                return match &party.referent {
                    Referent::Country(code) | Referent::Adjective(code) => Some(Found::Parties(vec![*code])),
                    _ => None,
                };
            }
            if ["its", "their"].iter().any(|word| self.word(index).eq_ignore_ascii_case(word)) {
                // "Tehran continues to accelerate its production": the possessive points
                // to the party the clause is about, else to one named before.
                return Some(match self.subject_party(index).map(|party| &party.referent) {
                    Some(Referent::Country(code)) if *code != "XX" => Found::Parties(vec![*code]),
                    _ => Found::Earlier,
                });
            }
            let word = self.word(index);
            // "condemned the strike on its consulate as a violation": what "as" names is
            // the verdict on the phrase before it, not on its possessor.
            if ["as", "than", "like"].iter().any(|stop| word.eq_ignore_ascii_case(stop)) {
                return None;
            }
            let possessive = matches!(word, "'" | "\u{2019}" | "s" | "-");
            // "called Ford's comments “egregious”": the quoted verdict is on the possessed.
            let opens_verdict = word == "\u{201C}" && index + 1 == first;
            if self.is_punctuation(index) && !possessive && !opens_verdict
                || self.hit_at(index).is_some_and(|hit| hit.cue().is_some())
            {
                return None;
            }
            if self
                .hit_at(index)
                .is_some_and(|hit| hit.tags.iter().all(|tag| !matches!(tag, Tag::Category(_) | Tag::Party)))
            {
                return None;
            }
        }
        None
    }

    fn target(&self, first: usize, last: usize) -> (Found<'a>, Option<&'a str>) {
        // "the ships, sanctioned by Canada": a participle with "by" is passive without "be".
        let by_follows = self.word(last + 1).eq_ignore_ascii_case("by");
        if self.is_passive(first) || by_follows {
            let accuser = match self.by_agent(last) {
                Some(Found::Parties(parties)) => parties.into_iter().next(),
                _ => None,
            };
            let accused = self.subject(first).or_else(|| self.named_person_subject(first));
            return (accused.unwrap_or(Found::Nobody), accuser);
        }
        // "Casin, while condemning the violence, says": the participle's subject is the
        // main clause's, before the opener.
        let opener = first.checked_sub(1).filter(|before| {
            self.word(first).to_ascii_lowercase().ends_with("ing")
                && ["while", "when", "after", "before", "by"]
                    .iter()
                    .any(|word| self.word(*before).eq_ignore_ascii_case(word))
        });
        // "with both Afghan rivals accusing the other": a participle's own subject, people
        // a country adjective qualifies, stands right before it.
        let participle_subject = self.word(first).to_ascii_lowercase().ends_with("ing");
        let own_subject = participle_subject.then(|| self.adjective_speakers(first)).flatten();
        // "Canada requested World Trade Organization dispute consultations with": a body
        // named right before the cue qualifies it; the subject stands before that.
        let mut subject = self.subject_party(opener.unwrap_or(first));
        if let Some(body) =
            subject.filter(|party| party.referent == Referent::Country("XX") && party.last + 1 == first)
        {
            subject = self.subject_party(body.first).or(subject);
        }
        let accuser = own_subject.or_else(|| match subject {
            Some(party) => match &party.referent {
                // "The United States, the U.N. and rights groups condemned": the country
                // at the head of the list speaks for it.
                Referent::Country(code) if *code == "XX" => {
                    Some(self.coordinated_before(party).unwrap_or(*code))
                }
                Referent::Country(code) => Some(*code),
                _ => self.coordinated_before(party),
            },
            None => None,
        });
        if let Some((accused, accuser)) = self.object_before_subject(first) {
            return (Found::Parties(vec![accused]), accuser.or(Some(self.voice)));
        }
        // "condemned the terrorist attack in Lima": a place after a preposition of place is
        // where, not whom.
        let located = |party: &Party| {
            let mut before = party.first.wrapping_sub(1);
            if self.word(before).eq_ignore_ascii_case("the") {
                before = before.wrapping_sub(1);
            }
            party.is_place
                && ["in", "at", "near", "inside", "within", "across", "throughout"]
                    .iter()
                    .any(|preposition| self.word(before).eq_ignore_ascii_case(preposition))
        };
        let object = self
            .view
            .parties
            .iter()
            .find(|party| party.first > last && party.first - last <= 6 && !located(party));
        let found = match object {
            Some(party) => match &party.referent {
                Referent::Pronoun => Found::Earlier,
                Referent::Country(_) => Found::Parties(self.listed_from(party)),
                // "condemned the Israeli strike": a country adjective qualifies the act.
                Referent::Adjective(_) => self.condemned_act(last),
                _ => Found::Nobody,
            },
            None => self.condemned_act(last),
        };
        (found, accuser)
    }

    /// "Peru expelled two Bolivian diplomats it accused of spying": in a relative clause
    /// without its pronoun, the party right before the clause's subject pronoun is the
    /// object of the cue, and the main clause's subject accuses it. Returns the accused
    /// and, if named, the accuser.
    fn object_before_subject(&self, cue: usize) -> Option<(&'a str, Option<&'a str>)> {
        let pronoun = cue.checked_sub(1)?;
        if !["it", "they", "he", "she", "we"].iter().any(|word| self.word(pronoun).eq_ignore_ascii_case(word))
        {
            return None;
        }
        let mut end = pronoun.checked_sub(1)?;
        if ["that", "whom", "who"].iter().any(|word| self.word(end).eq_ignore_ascii_case(word)) {
            end = end.checked_sub(1)?;
        }
        let object = self.view.party_at(end).filter(|party| party.last == end && !party.is_place)?;
        let Referent::Country(accused) = object.referent else { return None };
        if accused == "XX" {
            return None;
        }
        let accuser = match self.subject_party(object.first).map(|party| &party.referent) {
            Some(Referent::Country(code)) if *code != "XX" => Some(*code),
            _ => None,
        };
        Some((accused, accuser))
    }

    /// "Afghan rivals accusing": people a country adjective qualifies, right before the
    /// verb, speak as that country's.
    fn adjective_speakers(&self, cue: usize) -> Option<&'a str> {
        let noun = cue.checked_sub(1)?;
        let adjective = self.view.party_at(noun.checked_sub(1)?)?;
        let plain_noun = self.view.tokens[noun].is_word && self.hit_at(noun).is_none();
        match adjective.referent {
            Referent::Adjective(code) if plain_noun && adjective.last + 1 == noun => Some(code),
            _ => None,
        }
    }

    /// "condemning the recent violence": with no party after it, a target cue names an
    /// act, whose doer is the accused; a definite act with no doer named ("the attack")
    /// is the one the last sentences pinned on a party.
    fn condemned_act(&self, last: usize) -> Found<'a> {
        let act = self.view.hits.iter().find(|(first, _, hit)| {
            *first > last
                && *first <= last + CONDEMNED_ACT_REACH
                && hit.cue().is_some_and(|(role, _)| role == Role::Act)
        });
        let definite =
            ["the", "this", "these"].iter().any(|word| self.word(last + 1).eq_ignore_ascii_case(word));
        // "denounced the extension": a definite deed with no doer named is one the last
        // sentences told of.
        let Some((first, act_last, _)) = act else {
            return if definite { Found::Earlier } else { Found::Nobody };
        };
        // A wrongful act with no doer of its own points back only to an accusation told
        // just before: a party merely named there may be its victim ("condemned the
        // terrorist attack and expressed condolences to Peru").
        let accused_before =
            self.memory.accused.as_ref().is_some_and(|(at, _)| self.index - at <= ACCUSED_MEMORY);
        match self.act(*first, *act_last) {
            Found::Nobody if self.word(last + 1).eq_ignore_ascii_case("the") && accused_before => {
                Found::Earlier
            }
            found => found,
        }
    }

    fn frame(&self, first: usize) -> Found<'a> {
        match self.subject(first) {
            Some(Found::Parties(parties)) => Found::Parties(parties),
            _ => Found::Earlier,
        }
    }

    /// "organized by Armenia", "provocations by the Armenian side": the parties after
    /// "by" within two words of the cue, or after a second participle ("orchestrated and
    /// directed by").
    fn by_agent(&self, last: usize) -> Option<Found<'a>> {
        // "orchestrated and directed by", "discrimination and exploitation by": a second
        // participle or noun shares the agent.
        let coordinated = self.word(last + 1).eq_ignore_ascii_case("and")
            && self.view.tokens.get(last + 2).is_some_and(|token| token.is_word);
        let reach = if coordinated { 3 } else { 2 };
        let by = (last + 1..=last + reach).find(|index| self.word(*index).eq_ignore_ascii_case("by"))?;
        if (last + 1..by).any(|index| self.is_punctuation(index)) {
            return None;
        }
        let party = self.view.parties.iter().find(|party| party.first > by && party.first <= by + 2)?;
        Some(match &party.referent {
            Referent::Country(_) | Referent::Adjective(_) => Found::Parties(self.listed_from(party)),
            Referent::Pronoun => Found::Earlier,
            _ => Found::Nobody,
        })
    }

    /// "operations … realized at the behest of Russia", "attacks funded by Iran": the
    /// party a sponsor phrase names after the act, over a participle, instigated it.
    fn instigator_after(&self, last: usize) -> Option<Found<'a>> {
        let end = (last + 1 + INSTIGATOR_REACH).min(self.view.tokens.len());
        let (sponsor_first, sponsor_last, _) = self
            .view
            .hits
            .iter()
            .find(|(first, _, hit)| *first > last && *first < end && hit.has(Tag::Sponsor))?;
        let interrupted = (last + 1..*sponsor_first).any(|index| {
            let word = self.word(index);
            matches!(word, "," | ";" | ":" | "." | "(")
                || CLAUSE_OPENERS.iter().any(|opener| word.eq_ignore_ascii_case(opener))
                || self.view.party_at(index).is_some()
                || self.hit_at(index).is_some_and(|hit| hit.cue().is_some())
        });
        if interrupted {
            return None;
        }
        self.sponsored_by(*sponsor_last)
    }

    /// The countries a sponsor phrase ending at token `sponsor_last` names ("at the behest
    /// of Russia and Serbia").
    fn sponsored_by(&self, sponsor_last: usize) -> Option<Found<'a>> {
        let party = self
            .view
            .parties
            .iter()
            .find(|party| party.first > sponsor_last && party.first <= sponsor_last + 2)?;
        match &party.referent {
            Referent::Country(code) | Referent::Adjective(code) if *code != "XX" => {
                Some(Found::Parties(self.listed_from(party)))
            }
            _ => None,
        }
    }

    /// Whether a group called terrorist stands beside a named non-state group: in
    /// apposition after it ("the BLA, a designated terror group") or before a list of
    /// them ("terrorist groups, such as al Qaida").
    fn labels_named_group(&self, first: usize, last: usize) -> bool {
        let non_state = |party: &&Party| party.referent == Referent::Country("XX");
        let named_before = self.view.parties.iter().filter(non_state).any(|party| {
            party.last < first
                && first - party.last <= LABEL_REACH
                && (party.last + 1..first).any(|index| self.word(index) == ",")
                && self.hit_at(party.first).map_or(true, |hit| hit.cue().is_none())
        });
        let named_after = self.view.parties.iter().filter(non_state).any(|party| {
            party.first > last
                && party.first - last <= LABEL_REACH
                && (last + 1..party.first).any(|index| {
                    ["such", "including", "like"]
                        .iter()
                        .any(|word| self.word(index).eq_ignore_ascii_case(word))
                })
        });
        named_before || named_after
    }

    /// The agent of a passive verb named further on, over adverbials and asides: "was
    /// shelled on Monday by Russian forces", "are being abused again — I would say by
    /// Mauritius". The search ends where another clause or act begins, so "by" there
    /// is no longer this verb's.
    fn far_by_agent(&self, last: usize) -> Option<Found<'a>> {
        let end = (last + 1 + PASSIVE_AGENT_REACH).min(self.view.tokens.len());
        for index in last + 1..end {
            let word = self.word(index);
            if let Some((_, sponsor_last, _)) =
                self.view.hits.iter().find(|(first, _, hit)| *first == index && hit.has(Tag::Sponsor))
            {
                // "were carried out at the behest of Iran": who instigated it is its doer.
                return self.sponsored_by(*sponsor_last);
            }
            if word.eq_ignore_ascii_case("by") {
                // "by withdrawing": a means, not an agent.
                if self.word(index + 1).to_ascii_lowercase().ends_with("ing") {
                    return None;
                }
                let party =
                    self.view.parties.iter().find(|party| party.first > index && party.first <= index + 2)?;
                return match &party.referent {
                    Referent::Country(_) | Referent::Adjective(_) => {
                        Some(Found::Parties(self.listed_from(party)))
                    }
                    _ => None,
                };
            }
            let ends_clause = matches!(word, ";" | ":" | "." | "\"" | "\u{201C}" | "\u{201D}" | "(")
                || CLAUSE_OPENERS
                    .iter()
                    .chain(["and", "but", "that", "after", "before"].iter())
                    .any(|opener| word.eq_ignore_ascii_case(opener))
                || self.hit_at(index).is_some_and(|hit| hit.cue().is_some())
                || self.view.party_at(index).is_some_and(|party| {
                    // An aside's "I" or "we" ("I would say by …") names no other doer, nor
                    // does a nationality that qualifies the victim ("the sinking of a
                    // Vietnamese fishing boat by a Chinese vessel").
                    !matches!(
                        party.referent,
                        Referent::FirstPerson | Referent::Speaker | Referent::Adjective(_)
                    )
                });
            if ends_clause {
                return None;
            }
        }
        None
    }

    /// "summoned the German ambassador to protest against what it called Berlin's
    /// interference": the words are the main clause's subject's, who accuses.
    fn what_it_called(&self, cue: usize) -> Option<&'a str> {
        // "what" is looked for first: one comparison per token, as most sentences lack it.
        let lower = cue.saturating_sub(WHAT_IT_CALLED_REACH);
        let what = (lower..cue).rev().find(|index| self.word(*index).eq_ignore_ascii_case("what"))?;
        let pointing =
            ["it", "they", "he", "she"].iter().any(|word| self.word(what + 1).eq_ignore_ascii_case(word))
                && ["called", "termed", "described", "calls", "terms", "describes"]
                    .iter()
                    .any(|verb| self.word(what + 2).eq_ignore_ascii_case(verb));
        pointing.then(|| self.main_clause_subject(what)).flatten()
    }

    /// The country of the sentence's first party before token `before` that is no place,
    /// the subject of a main clause that a participle after a comma continues.
    fn main_clause_subject(&self, before: usize) -> Option<&'a str> {
        let party = self.view.parties.iter().find(|party| party.last < before && !party.is_place)?;
        match party.referent {
            Referent::Country(code)
                if code != "XX" && !self.tagged(party.first.wrapping_sub(1), Tag::Location) =>
            {
                Some(code)
            }
            _ => None,
        }
    }

    /// Whether `party` is the object of a verb cue right before it ("stop smearing Peru
    /// and stop interfering", "attacked Peru and shelled its ports"): it is not the
    /// subject of a verb after it. The object of an accusation is ("accused Iranian
    /// operatives of planning"), so only a deed's object counts.
    fn is_object_of_cue(&self, party: &Party) -> bool {
        let Some(before) = party.first.checked_sub(1) else { return false };
        self.hit_at(before).is_some_and(|hit| hit.cue().is_some_and(|(role, _)| role == Role::Agent))
    }

    /// A party right before the cue with only words between ("Israel's heinous and
    /// cruel attacks", "Russian aggression", "Armenia also committed").
    fn attached_before(&self, first: usize) -> Option<Found<'a>> {
        let mut lower = first.saturating_sub(6);
        let mut index = first;
        while index > lower {
            index -= 1;
            if let Some(opening) = self.scare_quote_opening(index) {
                lower = lower.saturating_sub(index - opening);
                index = opening;
                continue;
            }
            if let Some(party) = self.view.party_at(index) {
                if party.is_place || self.is_object_of_cue(party) {
                    return None;
                }
                return match &party.referent {
                    Referent::Country(code) | Referent::Adjective(code) => Some(Found::Parties(vec![*code])),
                    Referent::Pronoun => Some(Found::Earlier),
                    _ => Some(Found::Nobody),
                };
            }
            let word = self.word(index);
            let possessive = matches!(word, "'" | "\u{2019}" | "s" | "-");
            let stops = self.is_punctuation(index) && !possessive
                || self.tagged(index, Tag::Reporting)
                || self.tagged(index, Tag::Denial)
                || self.tagged(index, Tag::Appeal)
                || self.tagged(index, Tag::Location)
                || self.hit_at(index).is_some_and(|hit| hit.cue().is_some())
                || ["that", "of", "by"].iter().any(|stop| word.eq_ignore_ascii_case(stop))
                // "described the killing": the article makes the cue a noun of its own, but
                // for a verb of perpetration ("claimed responsibility for the attack").
                || index + 1 == first
                    && ["the", "a", "an"].iter().any(|article| word.eq_ignore_ascii_case(article))
                    && !self.tagged(index.wrapping_sub(1), Tag::Perpetrate);
            if stops {
                return None;
            }
        }
        None
    }

    /// "responsible for scrutinizing the government": a duty, not a deed; a cue ending in
    /// "for" accuses only of an act, not of any gerund after it.
    fn duty_not_deed(&self, last: usize) -> bool {
        let next = last + 1;
        self.word(last).eq_ignore_ascii_case("for")
            && self.word(next).to_ascii_lowercase().ends_with("ing")
            && !self.hit_at(next).is_some_and(|hit| hit.cue().is_some())
    }

    /// Whether dissent follows a verb of detention in its clause, as its object or its
    /// reason ("arrested dozens of opposition activists", "detained 2,400 people for
    /// taking part in the protests"). Another act before it ("arrested two men suspected
    /// of killing a journalist") makes the detention that act's answer.
    fn dissent_after(&self, last: usize) -> bool {
        let end = (last + 1 + DISSENT_REACH).min(self.view.tokens.len());
        for index in last + 1..end {
            if self.tagged(index, Tag::Dissent) {
                return true;
            }
            let ends_clause = matches!(self.word(index), ";" | "." | ":" | "\u{2014}");
            if ends_clause || self.hit_at(index).is_some_and(|hit| hit.cue().is_some() || hit.has(Tag::Claim))
            {
                return false;
            }
        }
        false
    }

    /// Whether dissent is the subject of a passive verb of detention: "journalists were
    /// detained by".
    fn dissent_before(&self, first: usize) -> bool {
        (first.saturating_sub(PASSIVE_SUBJECT_REACH)..first).any(|index| self.tagged(index, Tag::Dissent))
    }

    /// "attacked Trump's proposal", "attacked The Wall Street Journal newspaper": an armed
    /// act's verb whose object is words, a policy or the press is criticism.
    fn aimed_at_words(&self, last: usize) -> bool {
        let end = (last + 1 + DISCOURSE_OBJECT_REACH).min(self.view.tokens.len());
        for index in last + 1..end {
            if self.tagged(index, Tag::Discourse) {
                return true;
            }
            let possessive = matches!(self.word(index), "'" | "\u{2019}");
            if self.is_punctuation(index) && !possessive
                || self.hit_at(index).is_some_and(|hit| hit.cue().is_some())
            {
                return false;
            }
        }
        false
    }

    /// The agent after "by" of a passive target cue ("are sanctioned by the U.S.", "was
    /// condemned by France"), if any.
    fn passive_accuser(&self) -> Option<&'a str> {
        self.view.hits.iter().find_map(|(first, last, hit)| {
            let is_target = hit.cue().is_some_and(|(role, _)| role == Role::Target);
            let by_follows = self.word(last + 1).eq_ignore_ascii_case("by");
            if !is_target || !(self.is_passive(*first) || by_follows) {
                return None;
            }
            match self.by_agent(*last)? {
                Found::Parties(parties) => parties.into_iter().next(),
                _ => None,
            }
        })
    }

    /// Whether a demonstrative stands before the act at token `first`, over at most one
    /// adjective ("this brazen behaviour", "these attacks").
    fn pointed_at(&self, first: usize) -> bool {
        let demonstrative = |index: usize| {
            ["this", "these", "such", "those"].iter().any(|word| self.word(index).eq_ignore_ascii_case(word))
        };
        (1..=2).any(|back| {
            first.checked_sub(back).is_some_and(|index| {
                demonstrative(index)
                    && (index + 1..first).all(|between| {
                        // "those who abuse the trust" points at people, not at an act.
                        let relative =
                            CLAUSE_OPENERS.iter().any(|word| self.word(between).eq_ignore_ascii_case(word));
                        self.view.tokens[between].is_word && self.hit_at(between).is_none() && !relative
                    })
            })
        })
    }

    /// If token `index` closes a short quotation of words only ("is “flagrantly”
    /// defying"), the token that opens it: such scare quotes do not end a clause.
    fn scare_quote_opening(&self, index: usize) -> Option<usize> {
        if !matches!(self.word(index), "\u{201D}" | "\"") {
            return None;
        }
        let lower = index.saturating_sub(SCARE_QUOTE_WORDS + 1);
        let opening = (lower..index).rev().find(|before| !self.view.tokens[*before].is_word)?;
        (opening + 1 < index && matches!(self.word(opening), "\u{201C}" | "\"")).then_some(opening)
    }

    /// Whether token `index` opens a quotation in the middle of a clause, after a word
    /// that does not report speech ("Berisha had used power “for his own benefit and to
    /// enrich his allies”"): the quoted words continue the clause, so its subject stands
    /// before the quotation mark.
    fn opens_quote_within_clause(&self, index: usize) -> bool {
        let word = self.word(index);
        let opening = match word {
            "\u{201C}" => true,
            // A straight mark opens a quotation when an even number of them precede it.
            "\"" => (0..index).filter(|before| self.word(*before) == "\"").count() % 2 == 0,
            _ => false,
        };
        opening
            && index > 0
            && self.view.tokens[index - 1].is_word
            && self.view.tokens.get(index + 1).is_some_and(|token| token.is_word)
            && !self.tagged(index - 1, Tag::Reporting)
    }

    /// "cutting ties with Kenya for allegedly meddling": the doer of a gerund after
    /// "for" is the party the sentence holds to account just before it.
    fn for_gerund_doer(&self, first: usize) -> Option<Found<'a>> {
        if !self.word(first).to_ascii_lowercase().ends_with("ing") {
            return None;
        }
        let mut before = first.checked_sub(1)?;
        if self.word(before).ends_with("ly") {
            before = before.checked_sub(1)?;
        }
        if !self.word(before).eq_ignore_ascii_case("for") {
            return None;
        }
        let party =
            self.view.parties.iter().rev().find(|party| party.last < before && before - party.last <= 3)?;
        // "a court sentenced Camacho for defying": the one named between is the doer.
        if (party.last + 1..before).any(|index| self.is_name(index)) {
            return None;
        }
        match &party.referent {
            Referent::Country(code) | Referent::Adjective(code) => Some(Found::Parties(vec![*code])),
            Referent::Pronoun => Some(Found::Earlier),
            _ => None,
        }
    }

    /// The subject of a verb cue: the nearest party before it in its clause that is not
    /// a place or a mere adjective.
    fn subject(&self, first: usize) -> Option<Found<'a>> {
        let party = self.subject_party(first)?;
        Some(match &party.referent {
            Referent::Country(code) => Found::Parties(vec![*code]),
            // "If the Taliban are sincere, they must stop killing": a subject pronoun
            // stands first for the doer named before it in the same sentence.
            Referent::Pronoun => match self.named_before(party.first) {
                Some(code) => Found::Parties(vec![code]),
                None => Found::Earlier,
            },
            // "The army and the police": a subject of several parties, the nearest of
            // them unknown, is still the others'.
            _ => match self.coordinated_before(party) {
                Some(code) => Found::Parties(vec![code]),
                None => Found::Nobody,
            },
        })
    }

    /// "Lai, a businessman, stands accused of collusion", "Mr. Omarov was charged with
    /// murder": a passive cue whose clause names no party but opens the sentence with a
    /// person's name accuses that person, a private party (`XX`), as the guideline has
    /// it for non-state accused.
    fn named_person_subject(&self, cue: usize) -> Option<Found<'a>> {
        let mut index = 0;
        if ["Mr", "Ms", "Mrs", "Dr"].contains(&self.word(0)) && self.word(1) == "." {
            index = 2;
        }
        let name_start = index;
        while index < cue && index - name_start < 3 && self.is_name(index) {
            index += 1;
        }
        let ends_name = self.word(index) == "," || self.tagged(index, Tag::Passive);
        (index > name_start && ends_name).then(|| Found::Parties(vec!["XX"]))
    }

    /// Whether token `index` is a capitalised word that is neither a lexicon word nor a
    /// party: a name the document does not tie to anyone.
    fn is_name(&self, index: usize) -> bool {
        self.view.is_capitalised_word(self.text, index)
            && self.hit_at(index).is_none()
            && self.view.party_at(index).is_none()
    }

    /// The referent of the nearest party before token `index` that acts (no place, no
    /// pronoun), if it is a country or a non-state party.
    fn named_before(&self, index: usize) -> Option<&'a str> {
        let party = self
            .view
            .parties
            .iter()
            .rev()
            .find(|party| party.last < index && !party.is_place && party.referent != Referent::Pronoun)?;
        match party.referent {
            Referent::Country(code) => Some(code),
            _ => None,
        }
    }

    /// The country of the nearest party listed with `party` before it ("The army and the
    /// police", "The United States, United Nations and rights groups"), over list
    /// members that are not countries.
    fn coordinated_before(&self, party: &Party) -> Option<&'a str> {
        let position = self.view.parties.iter().position(|candidate| candidate.first == party.first)?;
        let mut next_first = party.first;
        for previous in self.view.parties[..position].iter().rev() {
            let joined = (previous.last + 1..next_first).all(|between| {
                ["and", ",", "the", "or"].iter().any(|joiner| self.word(between).eq_ignore_ascii_case(joiner))
            });
            if !joined || previous.is_place {
                return None;
            }
            if let Referent::Country(code) = &previous.referent {
                if *code != "XX" {
                    return Some(*code);
                }
            }
            next_first = previous.first;
        }
        None
    }

    fn subject_party(&self, first: usize) -> Option<&Party<'a>> {
        let mut index = first;
        while index > 0 {
            index -= 1;
            if let Some(opening) = self.scare_quote_opening(index) {
                index = opening;
                continue;
            }
            if self.opens_quote_within_clause(index) {
                continue;
            }
            let word = self.word(index);
            if matches!(word, ";" | ":" | "\"" | "\u{201C}" | "\u{201D}" | "(" | ")")
                || CLAUSE_OPENERS.iter().any(|opener| word.eq_ignore_ascii_case(opener))
                || self.tagged(index, Tag::Reporting)
            {
                return None;
            }
            if let Some(party) = self.view.party_at(index) {
                // "strikes on Ukraine's energy grid are designed to": a possessor after a
                // preposition is inside a phrase, not the subject.
                let mut before = party.first.wrapping_sub(1);
                if self.word(before).eq_ignore_ascii_case("the") {
                    before = before.wrapping_sub(1);
                }
                let governed = self.tagged(before, Tag::Location);
                if party.is_place
                    || governed
                    || self.is_object_of_cue(party)
                    || matches!(party.referent, Referent::Adjective(_))
                {
                    index = party.first;
                    continue;
                }
                return Some(party);
            }
        }
        None
    }

    /// The party and those listed right after it ("Russia and Belarus", "by Mauritius,
    /// by the U.K., along with the U.S.").
    fn listed_from(&self, party: &Party) -> Vec<&'a str> {
        let mut codes = Vec::new();
        let parties = &self.view.parties;
        let Some(start) = parties.iter().position(|candidate| candidate.first == party.first) else {
            return codes;
        };
        let mut previous_last = party.last;
        for candidate in &parties[start..] {
            let joined = candidate.first == party.first
                || (previous_last + 1..candidate.first).all(|between| {
                    let word = self.word(between);
                    [",", "and", "or", "by", "the", "along", "with", "as", "well"]
                        .iter()
                        .any(|joiner| word.eq_ignore_ascii_case(joiner))
                });
            if !joined {
                break;
            }
            if let Referent::Country(code) | Referent::Adjective(code) = &candidate.referent {
                if !codes.iter().any(|known| known == code) {
                    codes.push(*code);
                }
            }
            previous_last = candidate.last;
        }
        codes
    }

    /// In the narrator's voice, "prosecutors ordered his arrest for allegedly trying to
    /// undermine …": the act given as the grounds of what the sentence's first party did
    /// is that party's allegation.
    fn grounds_giver(&self, cue: usize) -> Option<&'a str> {
        if self.voice != "XX" {
            return None;
        }
        if let Some((subject, _)) = self.grounds(cue) {
            return Some(subject);
        }
        let allegedly = (cue.saturating_sub(GROUNDS_REACH)..cue)
            .find(|index| self.word(*index).eq_ignore_ascii_case("allegedly"))?;
        if !self.word(allegedly.checked_sub(1)?).eq_ignore_ascii_case("for") {
            return None;
        }
        let giver = self.view.parties.iter().find(|party| !party.is_place && party.last < allegedly)?;
        match &giver.referent {
            Referent::Country(code) if *code != "XX" && giver.is_organ => Some(*code),
            _ => None,
        }
    }

    /// "Leavitt called Ford's comments “egregious”": who passes a verdict on what another
    /// party did or said accuses them.
    fn verdict_giver(&self, cue: usize) -> Option<&'a str> {
        let lower = cue.saturating_sub(OWNER_REACH + 1);
        let verb = (lower..cue)
            .rev()
            .find(|index| VERDICT_VERBS.iter().any(|verb| self.word(*index).eq_ignore_ascii_case(verb)))?;
        // Only the possessed words stand between the verb and the verdict.
        let owner = self.view.party_at(verb + 1)?;
        if !matches!(self.word(owner.last + 1), "'" | "\u{2019}") {
            return None;
        }
        match self.subject_party(verb)?.referent {
            Referent::Country(code) if code != "XX" => Some(code),
            _ => None,
        }
    }

    /// The parties an anaphor points back to: accused in this sentence or the last
    /// accusing one, else the doer named in the last sentences.
    fn earlier(&self, records: &[Record<'a>]) -> Vec<&'a str> {
        if let Some(record) = records.first() {
            return vec![record.accused];
        }
        if let Some((at, accused)) = &self.memory.accused {
            if self.index - at <= ACCUSED_MEMORY {
                return accused.clone();
            }
        }
        if let Some((at, actor)) = &self.memory.actor {
            if self.index - at <= ACTOR_MEMORY && *at < self.index {
                return vec![*actor];
            }
        }
        Vec::new()
    }

    /// The party that rejects or denies, if any: the subject of the denial, or the
    /// voice for "we reject".
    fn denier(&self, denial: usize) -> Option<&'a str> {
        let party = self.subject_party(denial)?;
        match &party.referent {
            Referent::Country(code) => Some(*code),
            Referent::FirstPerson | Referent::Speaker => Some(self.voice),
            _ => None,
        }
    }

    /// A denial that names who made the claim is that party's accusation of the denier:
    /// "Afghanistan rejected Pakistan's allegations", "we reject the claims made by X".
    fn reported_claim(&self, denial: usize, denier: Option<&'a str>) -> Option<Record<'a>> {
        let (first, last, hit) = self.denied_claim(denial)?;
        // "The ministry rejected the Armenian side's accusations that Azerbaijan had
        // shelled": a denier the sentence does not place is the claim's subject.
        let denier = match denier.filter(|code| *code != "XX") {
            Some(code) => code,
            None => self.claim_subject(*last)?,
        };
        let claimant = self
            .claimant_before(*first)
            .or_else(|| self.claimant_after(*last))
            .or_else(|| self.earlier_claimant(*first, denier))?;
        (claimant != denier).then(|| Record {
            accuser: claimant,
            accused: denier,
            categories: 0,
            cue: &self.text[hit.start..hit.end],
        })
    }

    /// The country a claim's "that" clause opens with ("accusations that Azerbaijan had
    /// shelled"), if any.
    fn claim_subject(&self, claim_last: usize) -> Option<&'a str> {
        if !self.word(claim_last + 1).eq_ignore_ascii_case("that") {
            return None;
        }
        let party = self
            .view
            .parties
            .iter()
            .find(|party| party.first > claim_last + 1 && party.first <= claim_last + 3)?;
        match party.referent {
            Referent::Country(code) if code != "XX" && !party.is_place => Some(code),
            _ => None,
        }
    }

    /// The claim a denial names after it ("rejected Pakistan's allegation"), if any.
    fn denied_claim(&self, denial: usize) -> Option<&(usize, usize, Hit<'_>)> {
        self.view.hits.iter().find(|(first, _, hit)| *first > denial && hit.has(Tag::Claim))
    }

    /// "The Taliban rejected Pakistan's allegation that the attack was planned from
    /// Afghan soil": a non-state group cannot be the state a claim accuses, but the
    /// claim's haven can; its claimant accuses that country of harbouring the doers.
    fn havens_in_denied_claim(&self, denial: usize) -> Vec<Record<'a>> {
        let Some((first, last, hit)) = self.denied_claim(denial) else {
            return Vec::new();
        };
        let Some(claimant) = self.claimant_before(*first).or_else(|| self.claimant_after(*last)) else {
            return Vec::new();
        };
        let claim_categories = self.view.hits[..]
            .iter()
            .filter(|(cue_first, _, _)| cue_first > last)
            .fold(0, |categories, (_, _, hit)| categories | hit.categories());
        if claim_categories & (TERRORISM | AGGRESSION) == 0 {
            return Vec::new();
        }
        self.havens_after(*last)
            .into_iter()
            .filter(|haven| *haven != claimant)
            .map(|accused| Record {
                accuser: claimant,
                accused,
                categories: 0,
                cue: &self.text[hit.start..hit.end],
            })
            .collect()
    }

    /// "Afghanistan's ministry called Pakistan's assertions baseless": a claim dismissed
    /// by an adjective after it is the claimant's accusation of the sentence's subject.
    fn dismissed_claim(&self) -> Option<Record<'a>> {
        let hits = &self.view.hits;
        let (first, last, hit) = hits.iter().find(|(_, _, hit)| hit.has(Tag::Claim))?;
        hits.iter().find(|(dismissal, _, hit)| dismissal > last && hit.has(Tag::Dismissive))?;
        let claimant_party =
            self.view.parties.iter().rev().find(|party| party.last < *first && first - party.last <= 3);
        let (claimant, subject_from) = match claimant_party {
            Some(party) => (self.claimant_before(*first)?, party.first),
            None => (self.claimant_after(*last)?, *first),
        };
        let denier = match &self.subject_party(subject_from)?.referent {
            Referent::Country(code) => *code,
            Referent::FirstPerson | Referent::Speaker => self.voice,
            _ => return None,
        };
        (denier != "XX" && claimant != denier).then(|| Record {
            accuser: claimant,
            accused: denier,
            categories: 0,
            cue: &self.text[hit.start..hit.end],
        })
    }

    /// "rejected the accusations while responding to the statement by the Taliban
    /// chief": a definite claim whose maker the sentence points to further on is the one
    /// the last sentences reported against the denier, and its claimant theirs. A bare
    /// "Beijing denies the allegations" names no claimant, so it accuses no one.
    fn earlier_claimant(&self, claim: usize, denier: &str) -> Option<&'a str> {
        let definite = claim.checked_sub(1).is_some_and(|before| {
            ["the", "these", "those", "such"].iter().any(|word| self.word(before).eq_ignore_ascii_case(word))
        });
        let maker_named = self.view.parties.iter().any(|party| {
            party.first > claim
                && !party.is_place
                && !matches!(&party.referent, Referent::Country(code) if *code == denier)
        });
        if !maker_named {
            return None;
        }
        let (at, _) = self.memory.accused.as_ref()?;
        if !definite || self.index - at > ACCUSED_MEMORY {
            return None;
        }
        let (accuser, _) = self.memory.accusers.iter().find(|(_, accused)| *accused == denier)?;
        Some(*accuser)
    }

    fn claimant_before(&self, claim: usize) -> Option<&'a str> {
        match self.attached_before(claim)? {
            Found::Parties(parties) => parties.into_iter().next(),
            _ => None,
        }
    }

    fn claimant_after(&self, claim: usize) -> Option<&'a str> {
        let by = (claim + 1..=claim + 2)
            .find(|index| ["by", "from"].iter().any(|word| self.word(*index).eq_ignore_ascii_case(word)))?;
        let party = self.view.parties.iter().find(|party| party.first > by && party.first <= by + 2)?;
        match &party.referent {
            Referent::Country(code) | Referent::Adjective(code) => Some(*code),
            _ => None,
        }
    }
}
