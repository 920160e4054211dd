"""Korean particles after a value: 은/는, 이/가, 을/를, 과/와, 으로/로.

A Korean template cannot know the value it will hold, so the catalogues write both forms, as Korean software
does: "{key}={text!r}은(는)". Once the value is in, ``with_particles`` keeps the one form that fits the word before
it, by how that word's last syllable is read: with a final consonant (받침) or without. A Hangul syllable has its
own; a number and a Latin word are read as Korean reads them ("3" 삼, "10" 십, "0.1" …일, "relu" 렐루, "adam" 아담,
"sgd" 에스지디); marks that are not read (quotes, brackets) are skipped. No Streamlit here.
"""

import re

# a particle's two forms as the catalogues write them -> (after a final consonant, after none)
PARTICLES = {
    "은(는)": ("은", "는"),
    "이(가)": ("이", "가"),
    "을(를)": ("을", "를"),
    "과(와)": ("과", "와"),
    "와(과)": ("과", "와"),
    "(으)로": ("으로", "로"),  # ㄹ takes 로, as a vowel does: 서울로, 1로 (일)
}
PARTICLE = re.compile("|".join(map(re.escape, PARTICLES)))
RIEUL = "ㄹ"
OTHER = "받침"  # any final consonant but ㄹ
# the final consonant of each digit read alone: 영, 일, 이, 삼, 사, 오, 육, 칠, 팔, 구
DIGIT_FINALS = dict(zip("0123456789", ["ㅇ", RIEUL, None, "ㅁ", None, None, "ㄱ", RIEUL, RIEUL, None]))
# a whole number's trailing zeros, read as the place they name: 십, 백, 천, then 만, 억, 조 every four places
PLACE_FINALS = {1: "ㅂ", 2: "ㄱ", 3: "ㄴ"}
MYRIAD_FINALS = ["ㄴ", "ㄱ", None]  # 만, 억, 조
LETTER_FINALS = {"l": RIEUL, "r": RIEUL, "m": "ㅁ", "n": "ㄴ"}  # 엘, 알, 엠, 엔: the other letters' names end open
VOWELS = set("aeiouy")
# ASCII digits only: another script's (a CSV header's '٣', say) is no number Korean reads here
LAST_WORD = re.compile(r"(?:[가-힣]|[A-Za-z]+|\d[\d,.]*|%)(?=[^가-힣A-Za-z\d%]*$)", re.ASCII)


def number_final(number):
    """'10' 십, '1,000' 천, '0.5' …오, '2.0' …영: the final consonant of a number as Korean reads it."""
    digits = number.rstrip(",.").replace(",", "")
    zeros = len(digits) - len(digits.rstrip("0"))
    if "." in digits or zeros == 0 or zeros == len(digits):  # read digit by digit after a point; 0 is 영
        return DIGIT_FINALS[digits[-1]]
    return PLACE_FINALS.get(zeros) or MYRIAD_FINALS[min(zeros // 4, 3) - 1]


def latin_final(word):
    """The final consonant of a Latin word as Korean reads it: letter by letter where it has no vowel ('sgd'
    에스지디), else as a loanword: 'adam' 아담, 'spiral' 스파이럴, 'none' 논, 'layer' 레이어, 'fast' 패스트. A
    final k, heard in some words (북) and not in others (네트워크), counts as not heard; a p after one vowel
    is heard (스텝, 셋업), after two it is not (루프)."""
    word = word.lower()
    if len(word) == 1 or not VOWELS & set(word):
        return LETTER_FINALS.get(word[-1])
    if len(word) > 2 and word[-1] == "e" and word[-2] not in VOWELS:  # a silent e: 논, 코사인, 서클, 아키텍처
        word = word[:-1]
    if word.endswith("ng"):
        return "ㅇ"
    if word[-1] == "r":  # an r that ends a word is not heard: 레이어, 자비에
        return None
    if word[-1] == "p" and word[-2] in VOWELS and word[-3:-2] not in VOWELS:  # after one short vowel: 스텝, 웜업
        return OTHER
    return LETTER_FINALS.get(word[-1])


def final(text):
    """The final consonant of the last word of ``text`` as it is read (``RIEUL``, another, or None for none), or
    ``False`` where nothing before is read."""
    found = LAST_WORD.search(text)
    if not found:
        return False
    word = found[0]
    if "가" <= word <= "힣":
        consonant = (ord(word) - ord("가")) % 28
        return None if consonant == 0 else RIEUL if consonant == 8 else OTHER
    if word[0].isdigit():
        return number_final(word)
    return None if word == "%" else latin_final(word)  # 퍼센트


def with_particles(text):
    """``text`` with each two-form particle replaced by the form that fits the word before it."""

    def fitting(particle):
        consonant = final(particle.string[: particle.start()])
        if consonant is False:
            return particle[0]
        after_consonant, after_vowel = PARTICLES[particle[0]]
        open_ending = consonant is None or (consonant == RIEUL and particle[0] == "(으)로")
        return after_vowel if open_ending else after_consonant

    return PARTICLE.sub(fitting, text)
