"""Words for the synthetic corpus: places, names, outlets, and the phrases articles are made of.

Templates use straight quotes and apostrophes; a publisher with typographic style gets curly
ones. ``{place}``, ``{state}`` and ``{noun}`` are filled in by :mod:`benchmarks.corpus`.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


# (name, two-letter code, population in millions, lean: +1 sanctuary, -1 anti-sanctuary, 0 mixed)
STATES = [
    ("Alabama", "AL", 5.0, -1), ("Alaska", "AK", 0.7, 0), ("Arizona", "AZ", 7.3, -1), ("Arkansas", "AR", 3.0, -1),
    ("California", "CA", 39.0, 1), ("Colorado", "CO", 5.8, 1), ("Connecticut", "CT", 3.6, 1),
    ("Delaware", "DE", 1.0, 1), ("Florida", "FL", 22.0, -1), ("Georgia", "GA", 10.9, -1), ("Hawaii", "HI", 1.4, 1),
    ("Idaho", "ID", 1.9, -1), ("Illinois", "IL", 12.5, 1), ("Indiana", "IN", 6.8, -1), ("Iowa", "IA", 3.2, -1),
    ("Kansas", "KS", 2.9, -1), ("Kentucky", "KY", 4.5, -1), ("Louisiana", "LA", 4.6, -1), ("Maine", "ME", 1.4, 1),
    ("Maryland", "MD", 6.2, 1), ("Massachusetts", "MA", 7.0, 1), ("Michigan", "MI", 10.0, 0),
    ("Minnesota", "MN", 5.7, 1), ("Mississippi", "MS", 2.9, -1), ("Missouri", "MO", 6.2, -1),
    ("Montana", "MT", 1.1, -1), ("Nebraska", "NE", 2.0, -1), ("Nevada", "NV", 3.2, 0), ("New Hampshire", "NH", 1.4, 0),
    ("New Jersey", "NJ", 9.3, 1), ("New Mexico", "NM", 2.1, 1), ("New York", "NY", 19.6, 1),
    ("North Carolina", "NC", 10.8, -1), ("North Dakota", "ND", 0.8, -1), ("Ohio", "OH", 11.8, -1),
    ("Oklahoma", "OK", 4.0, -1), ("Oregon", "OR", 4.2, 1), ("Pennsylvania", "PA", 13.0, 0),
    ("Rhode Island", "RI", 1.1, 1), ("South Carolina", "SC", 5.3, -1), ("South Dakota", "SD", 0.9, -1),
    ("Tennessee", "TN", 7.1, -1), ("Texas", "TX", 30.5, -1), ("Utah", "UT", 3.4, -1), ("Vermont", "VT", 0.6, 1),
    ("Virginia", "VA", 8.7, 0), ("Washington", "WA", 7.8, 1), ("West Virginia", "WV", 1.8, -1),
    ("Wisconsin", "WI", 5.9, 0), ("Wyoming", "WY", 0.6, -1),
]

# The real places of the seeds, most reported first: (id, label, kind, within), `within` as in the
# seeds' entities.yaml (a test checks it): the deepest jurisdiction a source of the seeds states.
REAL_PLACES = [
    ("montgomery-county", "Montgomery County", "county", "maryland"),
    ("king-county", "King County", "county", "washington"),
    ("cook-county", "Cook County", "county", "illinois"),
    ("san-francisco", "San Francisco", "city", "california"),
    ("los-angeles", "Los Angeles", "city", "california"),
    ("seattle", "Seattle", "city", "king-county"),
    ("boston", "Boston", "city", "massachusetts"),
    ("hyattsville", "Hyattsville", "city", "maryland"),
    ("takoma-park", "Takoma Park", "city", "maryland"),
]

PLACE_WORDS = _words("""Adams Alder Ashford Bayfield Beacon Belmont Benton Birch Bristol Brookside Calhoun Camden Cedar
Clark Clay Clinton Cole Crawford Cumberland Dale Dawson Delta Douglas Eagle Easton Elk Elm Essex Fayette Franklin
Fulton Garfield Grant Greene Hamilton Hancock Harbor Harrison Hawthorne Hayes Henry Highland Holt Hudson Huron
Jasper Jefferson Kent Knox Lake Lamar Laurel Lawrence Lee Lincoln Linden Logan Madison Maple Marion Marshall Mason
Meadow Mercer Miller Monroe Morgan Newton Oak Orange Osage Park Perry Pike Pine Polk Porter Putnam Quincy Randolph
Redwood Ridge Ripley River Rock Ross Russell Sabine Salem Scott Shelby Sherman Sierra Silver Stone Sumner Taylor
Thornton Union Vale Warren Wayne Webster Wells Willow Wilson Winston York Ashland Briar Carver Dover Fairview
Glen Harlan Irving Juniper Kendall Lyon Marlow Norwood Otter Pell Quarry Rowan Summit Tolland Upton Vernon""")
COUNTY_PREFIXES = ["", "North ", "South ", "East ", "West ", "Upper ", "Lower "]
CITY_PATTERNS = ["{}ville", "{}ton", "{} Springs", "{} Falls", "Port {}", "{} Heights", "{}field", "Lake {}",
                 "{} Park", "Mount {}", "{} Grove", "New {}", "{}burg", "Fort {}", "{} Crossing", "{} Harbor"]

FIRST_NAMES = _words("""
James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan
Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony Sandra Mark Margaret
Donald Ashley Steven Kimberly Andrew Emily Paul Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Melissa
George Deborah Timothy Stephanie Ronald Rebecca Jason Sharon Edward Laura Jeffrey Cynthia Ryan Dorothy Jacob Amy
Gary Kathleen Nicholas Angela Eric Shirley Jonathan Brenda Stephen Emma Larry Anna Justin Pamela Scott Nicole
Brandon Samantha Benjamin Katherine Samuel Christine Gregory Helen Alexander Debra Patrick Rachel Frank Carolyn
Raymond Janet Jack Maria Dennis Olivia Jerry Heather Tyler Diane Aaron Julie Jose Joyce Adam Victoria Nathan Ruth
Henry Virginia Zachary Lauren Douglas Kelly Peter Christina Kyle Joan Noah Evelyn Ethan Judith Jeremy Andrea
Walter Hannah Christian Megan Keith Cheryl Roger Jacqueline Terry Martha Austin Madison Sean Teresa Gerald Gloria
Carl Sara Harold Janice Dylan Ann Arthur Kathryn Lawrence Abigail Jordan Sophia Jesse Frances Bryan Jean Billy
Alice Bruce Judy Gabriel Isabella Joe Julia Logan Grace Alan Amber Juan Denise Albert Danielle Willie Marilyn
Elijah Beverly Wayne Charlotte Randy Natalie Vincent Theresa Mason Diana Roy Brittany Ralph Doris Bobby Kayla
Russell Alexis Bradley Lori Philip Marie Eugene Rosa Carlos Lucia Miguel Elena Luis Sofia Ahmed Fatima Wei Mei
Hiroshi Yuki Omar Leila Rafael Ines Tomas Marta Kwame Ama Ivan Olga Raj Priya""")
LAST_NAMES = _words("""
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez
Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis
Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera
Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris
Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward
Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel
Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales
Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole
Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez
McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson
Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson
Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver
Ryan Gardner Payne Grant Dunn Kelley Spencer Hawkins Arnold Pierce Vazquez Hansen Peters Santos Hart Bradley
Knight Elliott Cunningham Duncan Armstrong Hudson Carroll Lane Riley Andrews Alvarado Ray Delgado Berry Perkins
Hoffman Johnston Matthews Pena Richards Contreras Willis Carpenter Lawrence Sandoval Okafor Haddad Nakamura Novak
Kowalski Osei Mensah Park Choi Singh Khan Ali Rahman Abebe Dubois Rossi Ferrari Lindqvist""")

OUTLET_NOUNS = ["Ledger", "Courier", "Sentinel", "Tribune", "Gazette", "Herald", "Dispatch", "Observer", "Record",
                "Post", "Chronicle", "Times", "Beacon", "Review", "Register", "Bulletin", "Journal", "Press"]
ONLINE_OUTLETS = ["Civic Wire", "Frontline Report", "The Borderline", "Liberty Daily", "Commonwealth Now",
                  "Newsroom 24", "The Policy Desk", "Main Street Monitor", "Capitol Brief", "The Daily Docket"]

PREAMBLES = [
    ["Your support helps us to tell the story",
     "{publisher} is on the ground when the story is developing. We believe quality journalism should be "
     "available to everyone, paid for by those who can afford it.",
     "Your support makes all the difference."],
    ["Sign up for our free morning newsletter",
     "Get the day's most important stories from {publisher} in your inbox every weekday."],
    ["This article is free to read",
     "{publisher} is a nonprofit newsroom. Donate today to keep local reporting free for everyone."],
]
CLOSINGS = [
    ["Join our commenting forum",
     "Join thought-provoking conversations, follow other {publisher} readers and see their replies",
     "Comments"],
    ["Comments"],
    ["Related Articles", "Latest Articles"],
    ["Share this story", "Have a tip we should know? Email the newsroom."],
]

# How an article says an order reached a status: "The ordinance, approved Monday by ..."
STATUS_VERBS = {"proposed": "introduced", "drafted": "drafted", "adopted": "approved", "signed": "signed",
                "issued": "issued", "in-force": "put in force", "challenged": "challenged", "rescinded": "rescinded"}
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

# What an order does, as words that follow "The ordinance ...", by provision notation.
PROVISION_PHRASES = {
    "limits-entanglement": "limits how far local officials cooperate with federal immigration enforcement",
    "detainer-limits": "limits when the jail holds people on ICE detainer requests",
    "detainers-need-judicial-warrant":
        "bars officers from honoring ICE detainers unless agents bring a judicial warrant",
    "detainers-only-serious-crimes": "allows detainer holds only for people convicted of serious or violent crimes",
    "ice-access-limits": "restricts the access of ICE agents to the jail",
    "no-ice-in-nonpublic-areas": "keeps ICE agents out of nonpublic areas of government buildings",
    "no-ice-custody-interviews": "bars ICE from interviewing people held in local custody",
    "no-local-resources": "forbids the use of local resources to enforce civil immigration law",
    "status-inquiry-limits": "stops officers from asking residents about their immigration status",
    "information-sharing-limits": "limits the personal information that agencies may share with ICE",
    "no-release-notification": "ends the practice of telling ICE when detainees are about to be released",
    "no-287g-agreement": "ends the sheriff's 287(g) agreement with ICE",
    "no-detention-contract": "cancels the jail's contract to hold immigration detainees",
    "services-regardless-of-status": "guarantees public services to residents regardless of immigration status",
    "sensitive-locations": "tells schools and clinics how to respond when immigration agents arrive",
    "discipline-for-violations": "says that officials who violate it will face disciplinary action",
    "requires-entanglement": "requires local agencies to cooperate with federal immigration authorities",
    "mandatory-detainer-compliance": "requires jails to honor every ICE detainer request",
    "sanctuary-funding-penalties": "cuts state funding to any sanctuary jurisdiction",
    "prioritised-removal": "makes immigrants charged with any crime a priority for deportation",
    "published-crime-lists": "publishes weekly lists of crimes committed by immigrants",
    "287g-agreements": "directs deputies to join the 287(g) program of ICE",
}
# The provisions most orders code, by direction (others are picked less often).
COMMON_PROVISIONS = {
    "sanctuary": ["detainers-need-judicial-warrant", "no-local-resources", "limits-entanglement", "detainer-limits",
                  "status-inquiry-limits", "no-ice-in-nonpublic-areas", "services-regardless-of-status"],
    "anti": ["mandatory-detainer-compliance", "287g-agreements", "requires-entanglement"],
}

# Order kinds a local government uses, by direction: (kind, noun, issuer office or "council", statuses in order)
LOCAL_ORDERS = {
    "sanctuary": [
        ("executive-order", "executive order", "executive", ("signed", "in-force")),
        ("ordinance", "ordinance", "council", ("proposed", "adopted", "in-force")),
        ("council-vote", "measure", "council", ("adopted",)),
        ("policy", "policy", "police", ("adopted", "in-force")),
        ("directive", "directive", "police", ("issued", "in-force")),
    ],
    "anti": [
        ("policy", "agreement", "police", ("signed", "in-force")),
        ("council-vote", "measure", "council", ("adopted",)),
        ("ordinance", "ordinance", "council", ("proposed", "adopted")),
    ],
}
OFFICES = {  # kind -> (executive office, police office)
    "county": ("County Executive", "Sheriff"),
    "city": ("Mayor", "Police Chief"),
    "state": ("Governor", "Attorney General"),
}

HEADLINES = {
    "sanctuary": [
        "{place} bars officials from helping ICE",
        "{place} limits cooperation with immigration enforcement",
        "{place} moves to shield immigrants from federal deportation push",
        "{place} defies Trump with new limits on ICE",
        "{place} {noun} blocks local help for immigration agents",
    ],
    "anti": [
        "{place} signs on to help ICE",
        "{place} steps up cooperation with immigration enforcement",
        "{place} {noun} requires jails to honor ICE holds",
    ],
}
STANDFIRSTS = ["Officials say the {noun} will change how the {kind} works with federal agents",
               "The move puts {place} at the centre of a national fight over immigration",
               "Supporters and critics packed the meeting before the decision"]

QUOTES = {
    "sanctuary": [
        "This is about making sure every resident of {place} can call the police without fear",
        "Our officers are here to keep the public safe, not to act as immigration agents",
        "Enforcing immigration law is the job of the federal government, not ours",
        "It's not just symbolic - this has the force of law",
        "We will not let fear keep families from sending their kids to school",
        "Nobody should be afraid to report a crime because of where they were born",
        "This legally codifies what we have been doing for years",
        "We have limited resources, and we are not going to spend them doing the work of ICE",
        "Trust between our police and our immigrant neighbors makes all of us safer",
        "{place} will not be a willing participant in tearing families apart",
        "The Constitution does not allow us to hold people without a warrant",
        "We are a welcoming community, and today we put that in writing",
    ],
    "anti": [
        "The law is the law, and we intend to follow it",
        "Sanctuary policies put dangerous criminals back on our streets",
        "Our deputies will work with every federal partner to keep {place} safe",
        "No one is above the law, including the people who write local ordinances",
        "This is about public safety, plain and simple",
        "We will not release people that ICE has asked us to hold",
        "Taxpayers in {place} should not pay for a policy that shields criminals",
    ],
}
PRAISE = ["an extraordinary step", "a very, very positive step forward", "long overdue",
          "a model for the rest of {state}", "a victory for every immigrant family in {place}"]
CRITICISM = ["a dangerous mistake", "an invitation to lawlessness", "reckless and irresponsible",
             "a betrayal of the people of {place}"]
ICE_QUOTES = ["Policies like this one put the public at risk",
              "ICE will continue to carry out its mission regardless of local policies",
              "Sanctuary policies allow criminal aliens to be released back into the community"]

COMMENTS = [
    "Good for {place}! It's about time somebody stood up to ICE.",
    "Do it LEGALLY. The US has rules just like every other country, and ignoring them makes you a criminal.",
    "My grandparents came here with nothing. This is exactly what {place} should be doing.",
    "So the taxpayers of {place} get to foot the bill for this? Unbelievable.",
    "I live in {place} and nobody asked us. Vote them all out.",
    "The federal government should be doing its job so that local officials don't have to.",
    "Sanctuary for criminals, but not for the rest of us\u2026",
    "This is what community policing looks like - trust goes both ways.",
    "Has anyone actually read the {noun}? It says nothing about criminals being released.",
    "Proud of {place} today. Other places should follow.",
]
COMMENT_AGES = ["2 years ago", "3 years ago", "1 year ago", "8 months ago"]
