"""The words and patterns the attribution engine reads a briefing by.

Lexicons and regular expressions only, no logic: :mod:`~briefing_tui.core.attribution`
applies them. English first; Ukrainian and Russian cue words where they are common.
Extend a lexicon here rather than adding a special case there.
"""

from __future__ import annotations

import re

# Verbs that report speech (every form that introduces a statement). "called" and
# "identified" count only with a person or body as their subject.
_SPEECH = (
    "said says say saying stated states state told tells noted notes added adds "
    "warned warns stressed stresses emphasized emphasised emphasizes emphasises "
    "explained explains claimed claims argued argues insisted insists announced "
    "announces declared declares commented comments remarked remarks wrote writes "
    "asserted asserts assessed assesses summarized summarised summarize summarise "
    "summarizes summarises concluded concludes acknowledged acknowledges admitted admits "
    "confirmed confirms denied denies suggested suggests observed observes replied "
    "replies responded responds answered answers urged urges cautioned cautions "
    "predicted predicts estimated estimates recalled recalls reiterated reiterates "
    "underlined underlines underscored underscores described describes called "
    "identified accused accuses promised promises vowed vows pledged pledges assured "
    "assures complained complains indicated indicates signaled signalled signals "
    "mentioned mentions continued asked asks emphasize emphasise stress note warn "
    "contended contends maintained maintains countered counters "
    "conceded concedes disclosed discloses revealed reveals voiced voices cited cites "
    "thanked thanks recounted reported reports adding noting stressing warning arguing "
    "insisting claiming explaining telling stating"
)
_SPEECH_UK_RU = (
    "заявив заявила заявили сказав сказала сказали повідомив повідомила повідомили "
    "наголосив наголосила наголосили зазначив зазначила зазначили додав додала "
    "підкреслив підкреслила попередив попередила пояснив пояснила назвав назвала "
    "зауважив зауважила порадив порадила закликав закликала "
    "заявил заявила сказал сказала сообщил сообщила отметил отметила подчеркнул "
    "подчеркнула добавил добавила предупредил предупредила"
)
SPEECH_VERBS = frozenset((_SPEECH + " " + _SPEECH_UK_RU).split())
# Two-word cues: "pointed out", "went on", "told reporters".
SPEECH_PHRASES = ("pointed out", "points out", "went on", "goes on")

# Words between a subject and its verb that do not change who speaks.
SKIPPABLE = frozenset(
    ["also", "previously", "earlier", "later", "then", "again", "repeatedly", "further", "has", "had", "have", "was", "is", "were", "are", "once", "reportedly", "separately", "publicly", "recently", "already", "first", "also,", "had,", "later,", "afterwards", "subsequently", "itself", "himself", "herself", "would", "will", "just", "even", "only", "раніше", "також", "вже"]
)

PRONOUNS_M = frozenset(["he", "He", "він", "Він", "он", "Он"])
PRONOUNS_F = frozenset(["she", "She", "вона", "Вона", "она", "Она"])
PRONOUNS_PL = frozenset(["they", "They", "вони", "Вони", "они", "Они"])
RELATIVES = frozenset(["who", "Who", "який", "яка", "который", "которая"])

# Heads of role phrases: "Kremlin spokesman", "Foreign Minister", "the analysts".
ROLE_HEADS = frozenset(
    ["spokesman", "spokeswoman", "spokesperson", "president", "minister", "secretary", "ambassador", "adviser", "advisor", "director", "chief", "head", "commander", "general", "senator", "official", "diplomat", "envoy", "representative", "chairman", "chairwoman", "chair", "governor", "mayor", "deputy", "analyst", "analysts", "leader", "lawmaker", "premier", "chancellor", "king", "queen", "prince", "negotiator", "aide", "officer", "correspondent", "authors", "author", "experts", "expert", "researchers", "researcher", "ombudsman", "prosecutor", "judge", "admiral", "colonel", "marshal", "mp", "spokespeople", "press-secretary", "commissioner", "secretary-general", "commander-in-chief", "coordinator", "mediator", "inspector", "representative", "ombudsperson", "речник", "речниця", "президент", "міністр", "посол", "прессекретарь", "президента", "министр"]
)
# Role heads that stand for a body's analysts, not a person ("the analysts summarize").
GROUP_HEADS = frozenset(["analysts", "authors", "experts", "researchers"])
FEMALE_ROLE_WORDS = frozenset(["spokeswoman", "chairwoman", "queen", "madam", "речниця"])

# Words of a body's name: a subject holding one is an organisation, not a person.
ORG_WORDS = frozenset(
    ["Ministry", "Department", "Institute", "Office", "Council", "Agency", "Service", "Committee", "Center", "Centre", "Commission", "Kremlin", "Pentagon", "House", "Government", "Administration", "Forces", "Army", "Navy", "Staff", "Command", "Bureau", "Directorate", "Embassy", "Mission", "Parliament", "Duma", "Rada", "Senate", "Congress", "Party", "Union", "Organization", "Organisation", "Bank", "Fund", "Court", "Cabinet", "Presidency", "Міністерство", "МЗС", "МВС", "Кремль"]
)
# Words that look like names but never say anything themselves (places, months,
# sentence openers): "Moscow said" is a metonymy this engine leaves to the analyst.
NOT_NAMES = frozenset(
    ["The", "This", "That", "These", "Those", "It", "Its", "In", "On", "At", "As", "But", "And", "Or", "If", "When", "While", "After", "Before", "During", "Since", "Until", "Meanwhile", "However", "Also", "Yet", "So", "Then", "There", "Here", "Now", "Today", "Yesterday", "Details", "Reminder", "Summary", "Update", "Background", "Note", "Read", "More", "According", "Moscow", "Kyiv", "Kiev", "Washington", "Beijing", "London", "Paris", "Berlin", "Brussels", "Ankara", "Minsk", "Tehran", "Warsaw", "Geneva", "Istanbul", "Riyadh", "Jeddah", "Russia", "Ukraine", "China", "Europe", "America", "Iran", "Israel", "Turkey", "Poland", "Belarus", "Crimea", "Donetsk", "Luhansk", "Kherson", "Zaporizhzhia", "Donbas", "NATO", "EU", "UN", "US", "USA", "UK", "U.S.", "U.S", "Russian", "Ukrainian", "American", "European", "Chinese", "British", "French", "German", "Western", "Soviet", "Kremlin", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Mr", "Mrs", "Ms", "Dr", "Mr.", "Mrs.", "Ms.", "Dr.", "President", "Minister", "Secretary", "God", "Christmas", "Nobody", "Everyone", "Someone", "Somebody", "Others", "Many", "Some", "Both", "Neither", "Officials", "Diplomats", "Analysts", "Experts", "Residents", "Witnesses", "Sources", "Critics", "Observers", "Officers", "Soldiers", "Protesters", "Lawmakers", "Authorities", "Investigators", "Prosecutors", "Police", "Traders", "Brokers", "Economists", "Reporters", "Journalists", "Russians", "Ukrainians", "Americans", "Europeans", "Kremlin", "Кремля", "Officials", "United", "States", "Kingdom", "Nations", "України", "Росії", "США", "РФ", "Україна", "Росія", "Київ", "Москва", "Easter", "Internet", "Twitter", "Telegram", "Facebook", "X"]
)
# States, capitals and the media: "Germany said", "Reuters reported" name no person.
NOT_NAMES |= frozenset(
    """Germany France Britain Italy Spain Japan India Canada Australia Hungary Slovakia
    Romania Moldova Georgia Armenia Azerbaijan Kazakhstan Syria Iraq Qatar Egypt Saudi
    Emirates Finland Sweden Norway Denmark Estonia Latvia Lithuania Czechia Austria
    Switzerland Netherlands Belgium Greece Serbia Bulgaria Croatia Korea Pyongyang Seoul
    Tokyo Delhi Ottawa Canberra Budapest Bratislava Prague Vienna Rome Madrid Stockholm Oslo
    Helsinki Tallinn Riga Vilnius Bucharest Chisinau Tbilisi Yerevan Baku Astana Damascus
    Baghdad Doha Cairo Reuters Bloomberg Interfax TASS RIA AFP AP CNN BBC Politico Axios
    Ukrinform UNN Suspilne Kommersant Izvestia Pravda Meduza Sky Fox Times Post Journal
    Guardian Telegraph Economist""".split()  # noqa: SIM905 - a word list reads best so
)
TITLES_M = frozenset(["Mr", "Mr.", "MR", "MR.", "Sir"])
TITLES_F = frozenset(["Ms", "Ms.", "Mrs", "Mrs.", "MS", "MS.", "MRS", "MRS.", "Madam"])
# A few common first names that tell a gender where the text gives no pronoun yet.
FEMALE_FIRST = frozenset(
    ["Karoline", "Kamala", "Hillary", "Nancy", "Ursula", "Kaja", "Annalena", "Giorgia", "Maria", "Maria", "Olena", "Iryna", "Yulia", "Tamara", "Marie", "Anne", "Angela", "Theresa", "Liz", "Elizabeth", "Samantha", "Linda", "Victoria", "Maryna", "Olga", "Anna", "Natalia", "Natalya", "Svetlana", "Valentina", "Ella", "Kristi", "Tulsi", "Pam", "Hanna", "Oksana", "Viktoria", "Kristina", "Margarita", "Irina", "Yelena", "Elena"]
)

# Turn markers at the start of a line: "MR. PRICE:", "MS. LEAVITT:", "SECRETARY
# BLINKEN:", "QUESTION:", "Q:" and "Q " (White House style), "Name Surname:".
_CAPS = r"[A-ZÀ-ÖØ-ÞА-ЯІЇЄҐ][A-ZÀ-ÖØ-ÞА-ЯІЇЄҐ'’\-]+"
_TITLE_WORD = r"[A-ZÀ-ÖØ-ÞА-ЯІЇЄҐ][a-zß-öø-ÿа-яіїєґ'’\-]+"
TURN_LABEL = re.compile(
    r"^[ \t\u00a0]*(?:\*\*)?"
    r"(?P<label>"
    r"(?:MR|MS|MRS|DR|PROF|GEN|ADM|AMB|SEN|REP|GOV|SIR)\.?\s+" + _CAPS + r"(?:\s+" + _CAPS + r")?"
    r"|(?:[A-Z][A-Z.'’-]+\s+){1,3}[A-Z][A-Z'’-]+"
    r"|(?:THE\s+)?(?:PRESIDENT|VICE\s+PRESIDENT|SECRETARY|AMBASSADOR|GENERAL|ADMIRAL|MINISTER|"
    r"SPOKESMAN|SPOKESPERSON|SPOKESWOMAN|PRESS\s+SECRETARY|DIRECTOR|MODERATOR|OPERATOR|"
    r"AUDIENCE\s+MEMBER|PARTICIPANT|REPORTER|JOURNALIST|QUESTIONER|QUESTION|STAFF|"
    r"ANNOUNCER|CHAIRMAN|SENATOR|Q)(?:\s+" + _CAPS + r"){0,2}"
    r"|" + _TITLE_WORD + r"(?:\s+" + _TITLE_WORD + r"){1,2}"
    r")(?:\*\*)?[ \t]*:(?:\*\*)?[ \t\u00a0]+(?=\S)"
    r"|^[ \t\u00a0]*(?P<q>Q)\.?(?:[ \t\u00a0]{2,}(?=\S)|[ \t\u00a0](?=[A-Z(“\"'—–]))",
    re.MULTILINE,
)
# Labels whose turns are questions from the floor: never the official's.
QUESTION_LABELS = frozenset(
    ["Q", "QUESTION", "REPORTER", "JOURNALIST", "QUESTIONER", "AUDIENCE", "MEMBER", "PARTICIPANT", "MODERATOR", "OPERATOR", "STAFF", "ANNOUNCER"]
)
# Title-case labels that are section words, not people ("Key Points:").
NOT_LABELS = frozenset(["EDITOR'S NOTE", "EDITORS NOTE", "BREAKING NEWS", "KEY POINTS", "Key Points", "Read More", "Related News", "Editor Note", "Breaking News", "Bottom Line", "Key Takeaways", "Main Points", "See Also"])

# Quotations of the reading text: curly, straight, guillemets, German-style.
QUOTE = re.compile(r"“[^”\n]*”|«[^»\n]*»|„[^“”\n]*[“”]|\"[^\"\n]*\"")

# A word of running text (letters, apostrophes, hyphens, dotted initials "U.S.").
WORD = re.compile(r"[^\W\d_][\w'’.\-]*[\w]|[^\W\d_]")
NAME_TOKEN = re.compile(r"[A-ZÀ-ÖØ-ÞА-ЯІЇЄҐ][a-zß-öø-ÿа-яіїєґ'’]+(?:-[A-ZÀ-ÖØ-ÞА-ЯІЇЄҐ]?[a-zß-öø-ÿа-яіїєґ'’]+)*")
PARTICLES = frozenset(["von", "van", "der", "den", "de", "da", "di", "del", "la", "le", "al", "bin", "ibn", "dos", "das", "du", "ter"])
ROLE_DOMAINS = frozenset(
    ["State", "Defense", "Defence", "Foreign", "Affairs", "Justice", "Interior", "Finance", "Treasury", "Commerce", "Energy", "Health", "Homeland", "Security", "Economy", "War", "Agriculture", "Transport", "Education", "Culture"]
)
ACRONYM = re.compile(r"[A-Z]{2,6}")
# "Institute for the Study of War (ISW)": a body and its acronym.
EXPANSION = re.compile(
    r"((?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:of|for|the|and|on|in|[A-Z][\w’'-]*)){1,8})\s+\(([A-Z]{2,6})\)"
)
# "according to X", "за словами X", "по словам X", "in his words".
ACCORDING = re.compile(
    r"\b(?:[Aa]ccording\s+to|[Зз]а\s+словами|[Пп]о\s+словам)\s+(?P<spk>[^,.;:!?\n]{2,80})"
)
IN_WORDS = re.compile(r"\b(?:[Ii]n\s+(?P<pr>his|her|their)\s+words|[Зз]а\s+(?P<uk>його|її)\s+словами)\b")
SPEECH_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(sorted(map(re.escape, SPEECH_VERBS), key=len, reverse=True))
    + r"|pointed\s+out|points\s+out|went\s+on)(?![\w-])"
)
# After a quotation's closing mark: ", he said", "— Peskov said", ", said the minister".
CLAUSE_BREAK = re.compile(r"[,;:()\[\]“”\"«»—–]|\s-\s|\bthat\b|\bwhich\b|\bwhile\b|\bbut\b|\band\b")

# First names common in the briefings this app reads: a bare "Olena Kovalchuk" (no role,
# no title) counts as a person when it opens with one of them.
FIRST_NAMES_HINT = FEMALE_FIRST | frozenset(
    ["Donald", "Joe", "Vladimir", "Volodymyr", "Dmitry", "Dmitri", "Sergey", "Sergei", "Oleksiy", "Oleksii", "Andriy", "Andrii", "Olena", "Mike", "Michael", "Marco", "Antony", "Jake", "Steve", "Stephen", "Kevin", "Ned", "John", "James", "Boris", "Emmanuel", "Olaf", "Friedrich", "Keir", "Rishi", "Recep", "Xi", "Mark", "Jens", "Pete", "Robert", "Viktor", "Kadri", "Dmytro", "Yuri", "Yuriy", "Mykhailo", "Denys", "Rustem", "Oleksandr", "Kyrylo", "Petro", "Ivan", "Igor", "Ihor", "Maxim", "Maksym", "Alexei", "Alexey", "Nikolai", "Mikhail", "Andrei", "Andrey", "Pavel", "Pavlo", "Taras", "Vitali", "Vitaliy", "Tom", "David", "Peter", "Paul", "Daniel", "Matt", "Matthew", "Lloyd", "Jens", "Charles", "William", "Richard", "Thomas", "Lindsey", "Marco", "Ron", "Chuck", "Mitch", "Bernie", "Elon", "JD", "Jared", "Jen", "Laura", "Helen", "Juha", "Sauli", "Alexander", "Tatyana", "Sheikh"]
)

# Bodies briefings name by acronym alone ("ISW assessed"), with the name they go by.
KNOWN_BODIES = {
    "ISW": "Institute for the Study of War", "CSIS": "Center for Strategic and International Studies",
    "RUSI": "Royal United Services Institute", "IAEA": "International Atomic Energy Agency",
    "OSCE": "Organization for Security and Co-operation in Europe", "SBU": "Security Service of Ukraine",
    "HUR": "Defence Intelligence of Ukraine", "GUR": "Defence Intelligence of Ukraine",
    "ICRC": "International Committee of the Red Cross", "UNHCR": "UNHCR", "IMF": "IMF",
    "OHCHR": "OHCHR", "MFA": "Ministry of Foreign Affairs",
}

# Ranks and titles before a name ("Major Vadym Skibitskyi"): part of the role, not the name.
RANKS = frozenset(
    ["Major", "Colonel", "Lieutenant", "Captain", "Sergeant", "Admiral", "Marshal", "Brigadier", "Corporal", "Private", "Senator", "Congressman", "Congresswoman", "Representative", "Ambassador", "Governor", "Mayor", "Judge", "Prof", "Professor", "Dr", "Dr.", "Gen", "Gen.", "Col", "Col.", "Lt", "Lt.", "Maj", "Maj.", "Capt", "Capt.", "Sen", "Sen.", "Rep", "Rep."]
)
SKIPPABLE = SKIPPABLE | frozenset(
    "также уже ранее вновь тоже зокрема знову теж потім затем".split()  # noqa: SIM905
)
