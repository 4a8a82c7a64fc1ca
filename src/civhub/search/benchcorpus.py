"""A synthetic search corpus for the benchmarks (`civhub bench-corpus`, docs/benchmarks.md).

Documents are written straight into the search index, in English, Russian and Kazakh, spread
over the record types as on a real hub (mostly practices and laws). Their text is composed
from a finite pool of sentences and titles built from the phrase lists below, written for this
purpose; slots ({country}, {year}, numbers, names) are filled per document, so documents differ
in their rarer words as real ones do.

Vectors: the pool is embedded once with the configured model and cached on disk; a document's
vector is the normalized mean of its title's (counted twice) and its sentences' vectors. That
keeps a 100,000-document corpus to a few thousand embeddings. Latency does not depend on which
vectors the documents have; relevance is measured on the demo data with real embeddings.

Every document's `object_id` starts with `bench-`, which is how `remove()` finds them and
only them.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from django.db import connection, transaction

from civhub.directory.models import Country, Topic
from civhub.search import indexing, signals, text
from civhub.search.embeddings import get_embedder, text_hash
from civhub.search.models import Audience, SearchDocument

PREFIX = "bench-"
MAX_N = 1_000_000
BATCH = 2000
EMBED_BATCH = 32
#: the pool is the same whatever the --seed: only the documents' composition changes
POOL_SEED = 4_2024
#: action sentences per topic and language in the pool
ACTIONS_PER_TOPIC = 40

LANGUAGE_SHARES = {"en": 0.5, "ru": 0.3, "kk": 0.2}
# kind: (share of records, URL segment, body words min, median, max)
KINDS = {
    "practice": (0.45, "practices", 100, 220, 400),
    "law": (0.35, "laws", 80, 160, 400),
    "organization": (0.08, "organizations", 80, 110, 150),
    "profile": (0.06, "profiles", 150, 280, 400),
    "expert": (0.06, "people", 80, 100, 150),
}
# how many language versions a record has: 1 (most), 2 or 3
VERSIONS = {1: 0.75, 2: 0.2, 3: 0.05}


def _lines(block: str) -> list[str]:
    return [line.strip() for line in block.strip().splitlines() if line.strip()]


# -- countries: ISO code, then English; Russian nominative, genitive, "in ..."; Kazakh
# nominative, genitive, locative ---------------------------------------------------------

COUNTRIES = [
    line.split("|")
    for line in _lines(
        """
KZ|Kazakhstan|Казахстан|Казахстана|в Казахстане|Қазақстан|Қазақстанның|Қазақстанда
KG|Kyrgyzstan|Кыргызстан|Кыргызстана|в Кыргызстане|Қырғызстан|Қырғызстанның|Қырғызстанда
UZ|Uzbekistan|Узбекистан|Узбекистана|в Узбекистане|Өзбекстан|Өзбекстанның|Өзбекстанда
TJ|Tajikistan|Таджикистан|Таджикистана|в Таджикистане|Тәжікстан|Тәжікстанның|Тәжікстанда
TM|Turkmenistan|Туркменистан|Туркменистана|в Туркменистане|Түрікменстан|Түрікменстанның|Түрікменстанда
AZ|Azerbaijan|Азербайджан|Азербайджана|в Азербайджане|Әзірбайжан|Әзірбайжанның|Әзірбайжанда
AM|Armenia|Армения|Армении|в Армении|Армения|Арменияның|Арменияда
GE|Georgia|Грузия|Грузии|в Грузии|Грузия|Грузияның|Грузияда
BY|Belarus|Беларусь|Беларуси|в Беларуси|Беларусь|Беларусьтің|Беларусьте
UA|Ukraine|Украина|Украины|в Украине|Украина|Украинаның|Украинада
MD|Moldova|Молдова|Молдовы|в Молдове|Молдова|Молдованың|Молдовада
MN|Mongolia|Монголия|Монголии|в Монголии|Моңғолия|Моңғолияның|Моңғолияда
MK|North Macedonia|Северная Македония|Северной Македонии|в Северной Македонии|Солтүстік Македония|Солтүстік Македонияның|Солтүстік Македонияда
RS|Serbia|Сербия|Сербии|в Сербии|Сербия|Сербияның|Сербияда
AL|Albania|Албания|Албании|в Албании|Албания|Албанияның|Албанияда
ME|Montenegro|Черногория|Черногории|в Черногории|Черногория|Черногорияның|Черногорияда
TR|Turkey|Турция|Турции|в Турции|Түркия|Түркияның|Түркияда
CN|China|Китай|Китая|в Китае|Қытай|Қытайдың|Қытайда
IN|India|Индия|Индии|в Индии|Үндістан|Үндістанның|Үндістанда
MY|Malaysia|Малайзия|Малайзии|в Малайзии|Малайзия|Малайзияның|Малайзияда
SG|Singapore|Сингапур|Сингапура|в Сингапуре|Сингапур|Сингапурдың|Сингапурда
ID|Indonesia|Индонезия|Индонезии|в Индонезии|Индонезия|Индонезияның|Индонезияда
PH|the Philippines|Филиппины|Филиппин|на Филиппинах|Филиппин|Филиппиннің|Филиппинде
VN|Viet Nam|Вьетнам|Вьетнама|во Вьетнаме|Вьетнам|Вьетнамның|Вьетнамда
TH|Thailand|Таиланд|Таиланда|в Таиланде|Таиланд|Таиландтың|Таиландта
EE|Estonia|Эстония|Эстонии|в Эстонии|Эстония|Эстонияның|Эстонияда
LT|Lithuania|Литва|Литвы|в Литве|Литва|Литваның|Литвада
LV|Latvia|Латвия|Латвии|в Латвии|Латвия|Латвияның|Латвияда
AF|Afghanistan|Афганистан|Афганистана|в Афганистане|Ауғанстан|Ауғанстанның|Ауғанстанда
PK|Pakistan|Пакистан|Пакистана|в Пакистане|Пәкістан|Пәкістанның|Пәкістанда
KR|the Republic of Korea|Республика Корея|Республики Корея|в Республике Корея|Корея Республикасы|Корея Республикасының|Корея Республикасында
JP|Japan|Япония|Японии|в Японии|Жапония|Жапонияның|Жапонияда
CA|Canada|Канада|Канады|в Канаде|Канада|Канаданың|Канадада
RO|Romania|Румыния|Румынии|в Румынии|Румыния|Румынияның|Румынияда
"""
    )
]


def _country_slots(row: list[str], language: str, suffix: str = "") -> dict[str, str]:
    code, en, ru, ru_gen, ru_in, kk, kk_gen, kk_loc = row
    forms = {
        "en": (en, en, f"in {en}"),
        "ru": (ru, ru_gen, ru_in),
        "kk": (kk, kk_gen, kk_loc),
    }[language]
    return {
        f"country{suffix}": forms[0],
        f"country{suffix}_gen": forms[1],
        f"country{suffix}_in": forms[2],
    }


# -- people's names, for experts ----------------------------------------------------------

NAMES = {
    "en": (
        "Aigerim Nurlan Bakyt Dana Timur Madina Ruslan Zarina Nino Giorgi Elena Oleg Marija "
        "Arman Saule Farida Kamila Anar Leyla Rashad Siti Budi Tuan Anh Somchai Kairat",
        "Sadykova Beridze Aliyev Osmonov Petrovska Kovalenko Nurlanova Tokayeva Ismailova "
        "Karimov Abdullayev Rakhimova Lomidze Sargsyan Popescu Tan Nguyen Santos Dzhaksybekov "
        "Mukanova Zhumabayev Ermekova Ibraimov Kasymova",
    ),
    "ru": (
        "Айгерим Нурлан Бакыт Дана Тимур Мадина Руслан Зарина Нино Георгий Елена Олег Мария "
        "Арман Сауле Фарида Камила Анар Лейла Рашад Ирина Сергей Алексей Наталья Кайрат",
        "Садыкова Беридзе Алиев Осмонов Петровская Коваленко Нурланова Токаева Исмаилова "
        "Каримов Абдуллаев Рахимова Ломидзе Саргсян Попеску Иванова Смирнов Кузнецова "
        "Джаксыбеков Муканова Жумабаев Ермекова Ибраимов Касымова",
    ),
    "kk": (
        "Әйгерім Нұрлан Бақыт Дана Тимур Мадина Руслан Зарина Нино Георгий Елена Олег Мария "
        "Арман Сәуле Фарида Камила Анар Ләйлә Рашад Ерлан Гүлнар Асқар Жанар Қайрат",
        "Садықова Беридзе Әлиев Осмонов Петровская Коваленко Нұрланова Тоқаева Исмаилова "
        "Кәрімов Абдуллаев Рахымова Ломидзе Саргсян Попеску Жақсыбеков Мұқанова Жұмабаев "
        "Ермекова Ыбыраев Қасымова Серікбаев Омарова Тілеуова",
    ),
}

# -- what every topic's sentences share, per language -------------------------------------
# Sentences are built as: opening + actor + verb + object + goal (in each language's order).

GENERAL = {
    "en": {
        "opening": """
            In {year},
            Since {year},
            With support from UNDP,
            Under the national reform strategy,
            Following a functional review of {n} agencies,
            As part of the {year} reform package,
            After consultations with staff unions,
            Drawing on the experience of {country2},
            With a grant from the European Union,
            In cooperation with the Regional Hub of Civil Service,
            At the request of parliament,
            During the second stage of the reform,
            After a pilot in {k} regions,
            On the recommendation of the steering committee,
        """,
        "actor": """
            the civil service agency
            the Ministry of Finance
            the national academy of public administration
            the government of {country}
            the presidential administration
            the civil service commission of {country}
            a working group of line ministries
            the regional administration
            the anti-corruption agency
            the ministry of digital development
            the supreme audit institution
            the cabinet office
        """,
        "verb": """
            introduces
            pilots
            extends
            reviews
            redesigns
            launches
            standardises
            evaluates
            regulates
            funds
            monitors
            simplifies
        """,
        "sentence": """
            The reform was prepared by a working group of {n} civil servants, academics and representatives of civil society.
            Funding came from the state budget, with technical assistance from UNDP and bilateral donors.
            Progress is reported to the government every {k} months and published on the agency's website.
            The approach was discussed at a peer-learning event of the Regional Hub with delegations from {n} countries.
            Officials from {country2} visited the agency in {year} to study the model before adapting it at home.
            The legal basis was set out in amendments to the civil service law adopted in {year}.
            Regional offices received training and guidance notes before the new rules took effect.
            An independent evaluation in {year} confirmed the main results and recommended further steps.
            Critics pointed out that smaller agencies lacked the staff to apply the new procedures.
            The practice is considered transferable to countries with a similar administrative tradition.
            A steering committee chaired by the deputy prime minister oversees the implementation.
            Citizens and civil servants were surveyed before and after the change.
            The main lesson is that political support and a clear legal mandate must come first.
            Data on the reform are collected in the government-wide human resources information system.
            The project ran for {k} years and involved {n} ministries and agencies.
            A handbook for managers explains the new procedures step by step.
            Next year the government plans to extend the practice to local self-government bodies.
            The reform is part of the national strategy for public administration until {year}.
            Trade unions took part in drafting the secondary legislation.
            The results were presented at an international conference on public service in {year}.
        """,
    },
    "ru": {
        "opening": """
            В {year} году
            С {year} года
            При поддержке ПРООН
            В рамках национальной стратегии реформ
            По итогам функционального анализа {n} ведомств
            В рамках пакета реформ {year} года
            После консультаций с профсоюзами
            Опираясь на опыт {country2_gen},
            На средства гранта Европейского союза
            В сотрудничестве с Региональным хабом государственной службы
            По поручению парламента
            На втором этапе реформы
            После пилотного проекта в {k} регионах
            По рекомендации управляющего комитета
        """,
        "actor": """
            агентство по делам государственной службы
            министерство финансов
            национальная академия государственного управления
            правительство {country_gen}
            администрация президента
            комиссия по вопросам государственной службы {country_gen}
            рабочая группа министерств
            областная администрация
            антикоррупционное агентство
            министерство цифрового развития
            счётная палата
            аппарат правительства
        """,
        "verb": """
            внедряет
            апробирует
            расширяет
            пересматривает
            перестраивает
            запускает
            стандартизирует
            оценивает
            регламентирует
            финансирует
            отслеживает
            упрощает
        """,
        "sentence": """
            Реформу подготовила рабочая группа из {n} государственных служащих, учёных и представителей гражданского общества.
            Финансирование шло из государственного бюджета при технической помощи ПРООН и двусторонних доноров.
            О ходе работы правительству докладывают каждые {k} месяца, отчёты публикуются на сайте агентства.
            Подход обсуждался на мероприятии Регионального хаба по обмену опытом с делегациями из {n} стран.
            В {year} году представители {country2_gen} изучили эту модель, чтобы применить её у себя.
            Правовой основой стали поправки к закону о государственной службе, принятые в {year} году.
            Региональные подразделения прошли обучение и получили методические рекомендации до вступления новых правил в силу.
            Независимая оценка {year} года подтвердила основные результаты и предложила дальнейшие шаги.
            Критики отмечали, что небольшим ведомствам не хватало кадров для применения новых процедур.
            Практика считается применимой в странах со схожей административной традицией.
            За реализацией следит управляющий комитет под руководством заместителя премьер-министра.
            До и после изменений были опрошены граждане и государственные служащие.
            Главный урок состоит в том, что сначала нужны политическая поддержка и ясный правовой мандат.
            Данные о реформе собираются в единой кадровой информационной системе.
            Проект продолжался {k} года и охватил {n} министерств и ведомств.
            Пошаговое описание новых процедур собрано в справочнике для руководителей.
            В следующем году правительство планирует распространить практику на органы местного самоуправления.
            Реформа входит в национальную стратегию развития государственного управления до {year} года.
            Профсоюзы участвовали в подготовке подзаконных актов.
            Результаты были представлены на международной конференции по государственной службе в {year} году.
        """,
    },
    "kk": {
        "opening": """
            {year} жылы
            {year} жылдан бастап
            БҰҰДБ-ның қолдауымен
            Ұлттық реформа стратегиясы аясында
            {n} мемлекеттік органның функционалдық талдауы қорытындысы бойынша
            {year} жылғы реформалар пакеті аясында
            Кәсіподақтармен кеңескеннен кейін
            {country2_gen} тәжірибесіне сүйене отырып
            Еуропалық Одақтың грантымен
            Мемлекеттік қызмет саласындағы өңірлік хабпен ынтымақтаса отырып
            Парламенттің тапсырмасы бойынша
            Реформаның екінші кезеңінде
            {k} өңірдегі пилоттық жобадан кейін
            Басқарушы комитеттің ұсынысы бойынша
        """,
        "actor": """
            мемлекеттік қызмет істері агенттігі
            қаржы министрлігі
            ұлттық мемлекеттік басқару академиясы
            {country_gen} үкіметі
            Президент әкімшілігі
            {country_gen} мемлекеттік қызмет мәселелері жөніндегі комиссиясы
            министрліктердің жұмыс тобы
            облыс әкімдігі
            сыбайлас жемқорлыққа қарсы іс-қимыл агенттігі
            цифрлық даму министрлігі
            жоғары аудиторлық палата
            үкімет аппараты
        """,
        "verb": """
            енгізеді
            сынақтан өткізеді
            кеңейтеді
            қайта қарайды
            қайта құрады
            іске қосады
            стандарттайды
            бағалайды
            реттейді
            қаржыландырады
            бақылайды
            жеңілдетеді
        """,
        "sentence": """
            Реформаны {n} мемлекеттік қызметшіден, ғалымдардан және азаматтық қоғам өкілдерінен құралған жұмыс тобы әзірледі.
            Қаржыландыру мемлекеттік бюджеттен жүргізілді, БҰҰДБ мен екіжақты донорлар техникалық көмек көрсетті.
            Жұмыс барысы туралы үкіметке әр {k} ай сайын баяндалады, есептер агенттіктің сайтында жарияланады.
            Бұл тәсіл өңірлік хабтың тәжірибе алмасу іс-шарасында {n} елдің делегацияларымен талқыланды.
            {year} жылы {country2_gen} өкілдері бұл модельді өз елінде қолдану үшін зерделеді.
            Құқықтық негізі {year} жылы қабылданған мемлекеттік қызмет туралы заңға енгізілген түзетулер болды.
            Жаңа ережелер күшіне енгенге дейін өңірлік бөлімшелер оқудан өтіп, әдістемелік ұсынымдар алды.
            {year} жылғы тәуелсіз бағалау негізгі нәтижелерді растап, келесі қадамдарды ұсынды.
            Сыншылар шағын органдарда жаңа рәсімдерді қолдануға кадр жетіспейтінін атап өтті.
            Бұл тәжірибе әкімшілік дәстүрі ұқсас елдерде қолдануға жарамды деп саналады.
            Іске асыруды премьер-министрдің орынбасары басқаратын басқарушы комитет қадағалайды.
            Өзгерістерге дейін және одан кейін азаматтар мен мемлекеттік қызметшілер арасында сауалнама жүргізілді.
            Басты сабақ: алдымен саяси қолдау мен нақты құқықтық мандат қажет.
            Реформа туралы деректер бірыңғай кадрлық ақпараттық жүйеде жинақталады.
            Жоба {k} жылға созылып, {n} министрлік пен ведомствоны қамтыды.
            Жаңа рәсімдердің қадамдық сипаттамасы басшыларға арналған анықтамалықта берілген.
            Келесі жылы үкімет бұл тәжірибені жергілікті өзін-өзі басқару органдарына таратуды жоспарлап отыр.
            Реформа {year} жылға дейінгі мемлекеттік басқаруды дамытудың ұлттық стратегиясына кіреді.
            Кәсіподақтар заңға тәуелді актілерді әзірлеуге қатысты.
            Нәтижелер {year} жылы мемлекеттік қызмет жөніндегі халықаралық конференцияда таныстырылды.
        """,
    },
}

# -- each topic, per language: title heads, the subject of a law, objects of the verbs, goals,
# the problem before the reform and its results -------------------------------------------

TOPICS: dict[str, dict[str, dict[str, str]]] = {
    "legal-framework": {
        "en": {
            "head": """
                A new law on the civil service
                Separating political and career positions
                Codifying the rights and duties of civil servants
                Secondary legislation for the civil service law
            """,
            "law": """
                the civil service
                the status of civil servants
            """,
            "object": """
                the draft law on the civil service
                the register of civil service positions
                the rules on political and administrative posts
                the bylaws implementing the civil service law
                the legal status of the central authorized body
                the classification of state bodies
            """,
            "goal": """
                to give the civil service a single legal basis
                so that ministers cannot dismiss career staff at will
                to bring the law in line with international standards
            """,
            "problem": """
                the rules for civil servants were scattered across dozens of decrees
                ministers could replace career staff after every election
                the same post was regulated differently in each ministry
            """,
            "result": """
                The number of legal acts regulating the civil service fell from {n} to {k}.
                Courts have since cited the new law in more than {n} employment disputes.
                Turnover after changes of government dropped by {pct} per cent.
            """,
        },
        "ru": {
            "head": """
                Новый закон о государственной службе
                Разделение политических и административных должностей
                Кодификация прав и обязанностей государственных служащих
                Подзаконные акты к закону о государственной службе
            """,
            "law": """
                государственной службе
                статусе государственных служащих
            """,
            "object": """
                проект закона о государственной службе
                реестр должностей государственной службы
                правила разделения политических и административных должностей
                подзаконные акты к закону о государственной службе
                правовой статус уполномоченного органа
                классификацию государственных органов
            """,
            "goal": """
                чтобы дать государственной службе единую правовую основу
                чтобы министры не могли увольнять карьерных служащих по своему усмотрению
                чтобы привести законодательство в соответствие с международными стандартами
            """,
            "problem": """
                правила для государственных служащих были разбросаны по десяткам указов
                после каждых выборов министры меняли карьерных служащих
                одна и та же должность в каждом министерстве регулировалась по-разному
            """,
            "result": """
                Число нормативных актов о государственной службе сократилось с {n} до {k}.
                Суды с тех пор сослались на новый закон более чем в {n} трудовых спорах.
                Текучесть кадров после смены правительства снизилась на {pct} процентов.
            """,
        },
        "kk": {
            "head": """
                Мемлекеттік қызмет туралы жаңа заң
                Саяси және әкімшілік лауазымдарды ажырату
                Мемлекеттік қызметшілердің құқықтары мен міндеттерін кодификациялау
                Мемлекеттік қызмет туралы заңға тәуелді актілер
            """,
            "law": """
                мемлекеттік қызмет
                мемлекеттік қызметшілердің мәртебесі
            """,
            "object": """
                мемлекеттік қызмет туралы заң жобасын
                мемлекеттік қызмет лауазымдарының тізілімін
                саяси және әкімшілік лауазымдар туралы ережелерді
                мемлекеттік қызмет туралы заңға тәуелді актілерді
                уәкілетті органның құқықтық мәртебесін
                мемлекеттік органдардың жіктелімін
            """,
            "goal": """
                мемлекеттік қызметке бірыңғай құқықтық негіз беру мақсатында
                министрлердің мансаптық қызметшілерді өз қалауымен босатуына жол бермеу мақсатында
                заңнаманы халықаралық стандарттарға сәйкестендіру мақсатында
            """,
            "problem": """
                мемлекеттік қызметшілерге арналған ережелер ондаған жарлықта шашыраңқы болды
                әр сайлаудан кейін министрлер мансаптық қызметшілерді ауыстырды
                бір лауазым әр министрлікте әртүрлі реттелді
            """,
            "result": """
                Мемлекеттік қызметті реттейтін нормативтік актілер саны {n}-ден {k}-ге дейін қысқарды.
                Содан бері соттар жаңа заңға {n}-ден астам еңбек дауында сілтеме жасады.
                Үкімет ауысқаннан кейінгі кадрлар тұрақсыздығы {pct} пайызға төмендеді.
            """,
        },
    },
    "recruitment-selection": {
        "en": {
            "head": """
                Merit-based recruitment to the civil service
                Open competition for vacant posts
                Computer-based testing of candidates
                Centralised selection of civil servants
            """,
            "law": """
                competitive selection for the civil service
                the recruitment of civil servants
            """,
            "object": """
                computer-based testing of candidates
                a single bank of test questions
                open competitions for vacant posts
                structured interviews with the selection board
                the national vacancy portal
                online applications for civil service jobs
            """,
            "goal": """
                to reduce discretion in hiring
                so that every candidate is judged by the same standard
                to attract young professionals to the civil service
            """,
            "problem": """
                each ministry ran its own competitions under its own rules
                candidates could not see their test results and trusted the outcome little
                many vacancies were filled without any public announcement
            """,
            "result": """
                The number of applicants per vacancy rose from {k} to {n}.
                Complaints about selection results fell by {pct} per cent.
                Recruitment now takes {n} days on average instead of {pct}.
            """,
        },
        "ru": {
            "head": """
                Отбор на государственную службу на основе заслуг
                Открытый конкурс на вакантные должности
                Компьютерное тестирование кандидатов
                Централизованный отбор государственных служащих
            """,
            "law": """
                конкурсном отборе на государственную службу
                поступлении на государственную службу
            """,
            "object": """
                компьютерное тестирование кандидатов
                единый банк тестовых вопросов
                открытые конкурсы на вакантные должности
                структурированное собеседование с конкурсной комиссией
                национальный портал вакансий
                приём заявлений на государственную службу онлайн
            """,
            "goal": """
                чтобы снизить субъективность при найме
                чтобы всех кандидатов оценивали по одному стандарту
                чтобы привлечь на службу молодых специалистов
            """,
            "problem": """
                каждое министерство проводило конкурсы по собственным правилам
                кандидаты не видели своих результатов тестирования и не доверяли итогам
                многие вакансии замещались без публичного объявления
            """,
            "result": """
                Число кандидатов на одно место выросло с {k} до {n}.
                Жалоб на результаты отбора стало меньше на {pct} процентов.
                Отбор теперь занимает в среднем {n} дней вместо {pct}.
            """,
        },
        "kk": {
            "head": """
                Мемлекеттік қызметке еңбегіне қарай іріктеу
                Бос лауазымдарға ашық конкурс
                Кандидаттарды компьютерлік тестілеу
                Мемлекеттік қызметшілерді орталықтандырылған іріктеу
            """,
            "law": """
                мемлекеттік қызметке конкурстық іріктеу
                мемлекеттік қызметке кіру
            """,
            "object": """
                кандидаттарды компьютерлік тестілеуді
                тест сұрақтарының бірыңғай банкін
                бос лауазымдарға ашық конкурстарды
                конкурстық комиссиямен құрылымдық әңгімелесуді
                бос жұмыс орындарының ұлттық порталын
                мемлекеттік қызметке өтінімдерді онлайн қабылдауды
            """,
            "goal": """
                жұмысқа қабылдаудағы субъективтілікті азайту мақсатында
                барлық кандидаттарды бір стандартпен бағалау мақсатында
                мемлекеттік қызметке жас мамандарды тарту мақсатында
            """,
            "problem": """
                әр министрлік конкурстарды өз ережелерімен өткізді
                кандидаттар тестілеу нәтижелерін көре алмай, қорытындыға сенбеді
                көптеген бос орындар жария хабарландырусыз толтырылды
            """,
            "result": """
                Бір орынға үміткерлер саны {k}-ден {n}-ге дейін өсті.
                Іріктеу нәтижелеріне шағымдар {pct} пайызға азайды.
                Іріктеу енді орта есеппен {n} күн алады.
            """,
        },
    },
    "career-development": {
        "en": {
            "head": """
                Career paths for civil servants
                A talent pool for senior positions
                Rotation of civil servants between agencies
                Promotion by internal competition
            """,
            "law": """
                career development in the civil service
                the personnel reserve
            """,
            "object": """
                individual career plans for civil servants
                the personnel reserve for senior positions
                rotation between central and regional agencies
                internal competitions for promotion
                mentoring for newly appointed staff
                the corps of senior civil servants
            """,
            "goal": """
                to keep experienced staff in the civil service
                so that promotion depends on merit rather than connections
                to prepare a new generation of managers
            """,
            "problem": """
                promotion depended on length of service rather than results
                capable young officials left for the private sector after a few years
                managers were appointed without any pool of prepared candidates
            """,
            "result": """
                Staff turnover in the first {k} years of service fell by {pct} per cent.
                {n} officials from the talent pool were appointed to senior posts.
                Two thirds of promotions now go through internal competition.
            """,
        },
        "ru": {
            "head": """
                Карьерное развитие государственных служащих
                Кадровый резерв на руководящие должности
                Ротация государственных служащих между ведомствами
                Продвижение по службе через внутренний конкурс
            """,
            "law": """
                прохождении государственной службы
                кадровом резерве
            """,
            "object": """
                индивидуальные планы карьерного развития
                кадровый резерв на руководящие должности
                ротацию между центральными и региональными органами
                внутренние конкурсы на повышение
                наставничество для впервые назначенных служащих
                корпус высших руководителей государственной службы
            """,
            "goal": """
                чтобы удержать опытных сотрудников на службе
                чтобы продвижение зависело от заслуг, а не от связей
                чтобы подготовить новое поколение руководителей
            """,
            "problem": """
                продвижение зависело от выслуги лет, а не от результатов
                способные молодые служащие через несколько лет уходили в частный сектор
                руководителей назначали без резерва подготовленных кандидатов
            """,
            "result": """
                Текучесть кадров в первые {k} года службы снизилась на {pct} процентов.
                На руководящие должности назначены {n} служащих из кадрового резерва.
                Две трети повышений теперь проходят через внутренний конкурс.
            """,
        },
        "kk": {
            "head": """
                Мемлекеттік қызметшілердің мансаптық дамуы
                Басшы лауазымдарға кадр резерві
                Мемлекеттік қызметшілерді органдар арасында ротациялау
                Ішкі конкурс арқылы қызмет бойынша жоғарылату
            """,
            "law": """
                мемлекеттік қызметті өткеру
                кадр резерві
            """,
            "object": """
                мансаптық дамудың жеке жоспарларын
                басшы лауазымдарға кадр резервін
                орталық және өңірлік органдар арасындағы ротацияны
                жоғарылатуға арналған ішкі конкурстарды
                жаңа тағайындалған қызметшілерге тәлімгерлікті
                мемлекеттік қызметтің жоғары басшылары корпусын
            """,
            "goal": """
                тәжірибелі қызметкерлерді қызметте сақтау мақсатында
                жоғарылату таныстыққа емес, еңбекке байланысты болуы мақсатында
                басшылардың жаңа буынын даярлау мақсатында
            """,
            "problem": """
                жоғарылату нәтижеге емес, еңбек өтіліне байланысты болды
                қабілетті жас қызметшілер бірнеше жылдан кейін жеке секторға кетті
                басшылар дайындалған кандидаттар резервінсіз тағайындалды
            """,
            "result": """
                Қызметтің алғашқы {k} жылындағы кадрлар тұрақсыздығы {pct} пайызға төмендеді.
                Кадр резервінен {n} қызметші басшы лауазымдарға тағайындалды.
                Жоғарылатудың үштен екісі енді ішкі конкурс арқылы өтеді.
            """,
        },
    },
    "performance-appraisal": {
        "en": {
            "head": """
                Performance appraisal of civil servants
                Key performance indicators for state bodies
                Results-based assessment of civil servants
                Linking appraisal to pay and promotion
            """,
            "law": """
                the assessment of civil servants' performance
                performance management in state bodies
            """,
            "object": """
                quarterly appraisal against agreed targets
                key performance indicators for every post
                a 360-degree assessment of managers
                the annual performance review
                the electronic appraisal module
                the link between appraisal results and bonuses
            """,
            "goal": """
                to make appraisal more than a formality
                so that good work is recognised and poor work is addressed
                to connect each official's work with the agency's strategic goals
            """,
            "problem": """
                the old attestation was a formality that did not reflect real results
                almost every civil servant received the highest rating
                appraisal results had no consequence for pay or career
            """,
            "result": """
                The share of top ratings fell from {pct} per cent to a more realistic level.
                {n} managers were trained to set measurable targets.
                Bonuses now depend on results for {pct} per cent of staff.
            """,
        },
        "ru": {
            "head": """
                Оценка деятельности государственных служащих
                Ключевые показатели эффективности государственных органов
                Оценка служащих по результатам работы
                Связь оценки с оплатой труда и продвижением
            """,
            "law": """
                оценке деятельности государственных служащих
                управлении результативностью в государственных органах
            """,
            "object": """
                ежеквартальную оценку по согласованным показателям
                ключевые показатели эффективности для каждой должности
                оценку руководителей методом 360 градусов
                ежегодную оценку деятельности
                электронный модуль оценки
                связь результатов оценки с премиями
            """,
            "goal": """
                чтобы оценка перестала быть формальностью
                чтобы хорошая работа поощрялась, а слабая выявлялась
                чтобы связать работу каждого служащего со стратегическими целями ведомства
            """,
            "problem": """
                прежняя аттестация была формальной и не отражала реальных результатов
                почти все служащие получали высшую оценку
                результаты оценки никак не влияли на оплату и карьеру
            """,
            "result": """
                Доля высших оценок снизилась с {pct} процентов до более реалистичного уровня.
                {n} руководителей обучены ставить измеримые цели.
                Премии теперь зависят от результатов у {pct} процентов служащих.
            """,
        },
        "kk": {
            "head": """
                Мемлекеттік қызметшілердің қызметін бағалау
                Мемлекеттік органдардың тиімділігінің негізгі көрсеткіштері
                Қызметшілерді жұмыс нәтижесі бойынша бағалау
                Бағалауды еңбекақымен және жоғарылатумен байланыстыру
            """,
            "law": """
                мемлекеттік қызметшілердің қызметін бағалау
                мемлекеттік органдардағы нәтижелілікті басқару
            """,
            "object": """
                келісілген көрсеткіштер бойынша тоқсан сайынғы бағалауды
                әр лауазымға тиімділіктің негізгі көрсеткіштерін
                басшыларды 360 градус әдісімен бағалауды
                жыл сайынғы қызметті бағалауды
                бағалаудың электрондық модулін
                бағалау нәтижелері мен сыйлықақылардың байланысын
            """,
            "goal": """
                бағалауды формальдылықтан арылту мақсатында
                жақсы жұмысты көтермелеп, әлсіз жұмысты анықтау мақсатында
                әр қызметшінің жұмысын органның стратегиялық мақсаттарымен байланыстыру мақсатында
            """,
            "problem": """
                бұрынғы аттестация ресми сипатта болып, нақты нәтижені көрсетпеді
                қызметшілердің барлығы дерлік ең жоғары баға алды
                бағалау нәтижелері еңбекақыға да, мансапқа да әсер етпеді
            """,
            "result": """
                Ең жоғары бағалардың үлесі {pct} пайыздан шынайы деңгейге дейін төмендеді.
                {n} басшы өлшенетін мақсаттар қоюға оқытылды.
                Енді қызметшілердің {pct} пайызының сыйлықақысы нәтижеге байланысты.
            """,
        },
    },
    "pay-remuneration": {
        "en": {
            "head": """
                Pay reform in the civil service
                A unified pay grid for civil servants
                Job evaluation and the factor-point pay system
                Performance-related bonuses for civil servants
            """,
            "law": """
                the remuneration of civil servants
                pay and bonuses in state bodies
            """,
            "object": """
                a unified pay grid for all state bodies
                the factor-point system of job evaluation
                published pay scales
                performance-related bonuses
                regional pay allowances
                the comparison of civil service pay with the private sector
            """,
            "goal": """
                to make pay fair and predictable
                so that similar jobs are paid the same across ministries
                to compete with the private sector for specialists
            """,
            "problem": """
                pay for the same job differed threefold between ministries
                most of the salary came from opaque allowances and bonuses
                civil service pay lagged far behind the private sector
            """,
            "result": """
                The gap between the highest and lowest paid ministries narrowed by {pct} per cent.
                Pay scales for {n} grades are now published every year.
                Vacancies for IT specialists fell by {pct} per cent after the pay rise.
            """,
        },
        "ru": {
            "head": """
                Реформа оплаты труда на государственной службе
                Единая тарифная сетка для государственных служащих
                Оценка должностей и факторно-балльная система оплаты
                Премии государственным служащим по результатам работы
            """,
            "law": """
                оплате труда государственных служащих
                денежном содержании и премировании
            """,
            "object": """
                единую тарифную сетку для всех государственных органов
                факторно-балльную систему оценки должностей
                публикацию шкал оплаты труда
                премии по результатам работы
                региональные надбавки
                сравнение оплаты на госслужбе с частным сектором
            """,
            "goal": """
                чтобы оплата стала справедливой и предсказуемой
                чтобы одинаковая работа оплачивалась одинаково во всех министерствах
                чтобы конкурировать с частным сектором за специалистов
            """,
            "problem": """
                оплата за одинаковую работу в разных министерствах различалась втрое
                большая часть зарплаты складывалась из непрозрачных надбавок и премий
                оплата на государственной службе сильно отставала от частного сектора
            """,
            "result": """
                Разрыв между министерствами с самой высокой и самой низкой оплатой сократился на {pct} процентов.
                Шкалы оплаты по {n} разрядам теперь публикуются ежегодно.
                После повышения оплаты вакансий для ИТ-специалистов стало меньше на {pct} процентов.
            """,
        },
        "kk": {
            "head": """
                Мемлекеттік қызметтегі еңбекақы реформасы
                Мемлекеттік қызметшілерге арналған бірыңғай тарифтік тор
                Лауазымдарды бағалау және факторлық-балдық еңбекақы жүйесі
                Мемлекеттік қызметшілерге нәтиже бойынша сыйлықақы
            """,
            "law": """
                мемлекеттік қызметшілердің еңбегіне ақы төлеу
                ақшалай қамту және сыйлықақы беру
            """,
            "object": """
                барлық мемлекеттік органдарға бірыңғай тарифтік торды
                лауазымдарды бағалаудың факторлық-балдық жүйесін
                еңбекақы шкалаларын жариялауды
                жұмыс нәтижесі бойынша сыйлықақыларды
                өңірлік үстемеақыларды
                мемлекеттік қызметтегі және жеке сектордағы еңбекақыны салыстыруды
            """,
            "goal": """
                еңбекақыны әділ әрі болжамды ету мақсатында
                бірдей жұмысқа барлық министрліктерде бірдей ақы төлеу мақсатында
                мамандар үшін жеке сектормен бәсекелесу мақсатында
            """,
            "problem": """
                бірдей жұмыс үшін еңбекақы министрліктер арасында үш есе ерекшеленді
                жалақының басым бөлігі ашық емес үстемеақылар мен сыйлықақылардан құралды
                мемлекеттік қызметтегі еңбекақы жеке сектордан едәуір артта қалды
            """,
            "result": """
                Ең жоғары және ең төмен еңбекақы төлейтін министрліктер арасындағы алшақтық {pct} пайызға қысқарды.
                {n} разряд бойынша еңбекақы шкалалары енді жыл сайын жарияланады.
                Еңбекақы көтерілгеннен кейін IT мамандарына арналған бос орындар {pct} пайызға азайды.
            """,
        },
    },
    "ethics-anti-corruption": {
        "en": {
            "head": """
                A code of ethics for civil servants
                Asset and income declarations of officials
                Managing conflicts of interest in the civil service
                Ethics commissioners in state bodies
            """,
            "law": """
                ethics in the civil service
                combating corruption in state bodies
            """,
            "object": """
                the code of ethics for civil servants
                electronic asset and income declarations
                the rules on conflicts of interest
                ethics commissioners in every ministry
                the protection of whistle-blowers
                the register of gifts received by officials
            """,
            "goal": """
                to strengthen public trust in the civil service
                so that conflicts of interest are declared before decisions are taken
                to prevent corruption in public procurement
            """,
            "problem": """
                there was no common standard of conduct for civil servants
                declarations were filed on paper and never checked
                officials who reported misconduct had no protection
            """,
            "result": """
                {n} conflicts of interest were declared in the first year.
                Electronic checks flagged {pct} per cent of declarations for review.
                Trust in the civil service rose by {pct} points in the national survey.
            """,
        },
        "ru": {
            "head": """
                Кодекс этики государственных служащих
                Декларирование активов и доходов должностных лиц
                Урегулирование конфликта интересов на государственной службе
                Уполномоченные по этике в государственных органах
            """,
            "law": """
                служебной этике
                противодействии коррупции
            """,
            "object": """
                кодекс этики государственных служащих
                электронное декларирование активов и доходов
                правила урегулирования конфликта интересов
                институт уполномоченных по этике в министерствах
                защиту лиц, сообщающих о нарушениях
                реестр подарков, полученных должностными лицами
            """,
            "goal": """
                чтобы укрепить доверие граждан к государственной службе
                чтобы конфликт интересов раскрывался до принятия решений
                чтобы предотвратить коррупцию в государственных закупках
            """,
            "problem": """
                единого стандарта поведения государственных служащих не было
                декларации подавались на бумаге и никогда не проверялись
                служащие, сообщавшие о нарушениях, не имели защиты
            """,
            "result": """
                В первый год было заявлено {n} случаев конфликта интересов.
                Электронная проверка отобрала для анализа {pct} процентов деклараций.
                Доверие к государственной службе по данным национального опроса выросло на {pct} пунктов.
            """,
        },
        "kk": {
            "head": """
                Мемлекеттік қызметшілердің әдеп кодексі
                Лауазымды адамдардың активтері мен кірістерін декларациялау
                Мемлекеттік қызметтегі мүдделер қақтығысын реттеу
                Мемлекеттік органдардағы әдеп жөніндегі уәкілдер
            """,
            "law": """
                қызметтік әдеп
                сыбайлас жемқорлыққа қарсы іс-қимыл
            """,
            "object": """
                мемлекеттік қызметшілердің әдеп кодексін
                активтер мен кірістерді электрондық декларациялауды
                мүдделер қақтығысын реттеу ережелерін
                министрліктердегі әдеп жөніндегі уәкілдер институтын
                бұзушылықтар туралы хабарлаған адамдарды қорғауды
                лауазымды адамдар алған сыйлықтардың тізілімін
            """,
            "goal": """
                азаматтардың мемлекеттік қызметке сенімін нығайту мақсатында
                мүдделер қақтығысын шешім қабылданғанға дейін ашу мақсатында
                мемлекеттік сатып алудағы сыбайлас жемқорлықтың алдын алу мақсатында
            """,
            "problem": """
                мемлекеттік қызметшілердің мінез-құлқының бірыңғай стандарты болмады
                декларациялар қағаз түрінде тапсырылып, ешқашан тексерілмеді
                бұзушылықтар туралы хабарлаған қызметшілер қорғалмады
            """,
            "result": """
                Бірінші жылы мүдделер қақтығысының {n} жағдайы мәлімделді.
                Электрондық тексеру декларациялардың {pct} пайызын талдауға іріктеді.
                Ұлттық сауалнама бойынша мемлекеттік қызметке сенім {pct} пунктке өсті.
            """,
        },
    },
    "training-academies": {
        "en": {
            "head": """
                A national academy of public administration
                In-service training for civil servants
                An online learning platform for the civil service
                Leadership programmes for senior officials
            """,
            "law": """
                the training of civil servants
                the academy of public administration
            """,
            "object": """
                a curriculum for newly appointed civil servants
                mandatory in-service training of forty hours a year
                an online learning platform with certified courses
                a leadership programme for senior officials
                training needs assessment in every agency
                a master's programme in public administration
            """,
            "goal": """
                to give every civil servant the skills the reform requires
                so that training follows the needs of each post
                to build a common culture of public service
            """,
            "problem": """
                training of civil servants was fragmented among donors' projects
                courses were chosen by availability rather than need
                managers received no preparation before taking up their posts
            """,
            "result": """
                {n} civil servants completed online courses in the first year.
                Participants rated the leadership programme {k} out of five.
                The academy now trains {pct} per cent of newly appointed staff.
            """,
        },
        "ru": {
            "head": """
                Национальная академия государственного управления
                Повышение квалификации государственных служащих
                Платформа онлайн-обучения для государственной службы
                Программы развития лидерства для руководителей
            """,
            "law": """
                обучении государственных служащих
                академии государственного управления
            """,
            "object": """
                программу обучения для впервые назначенных служащих
                обязательное повышение квалификации в объёме сорока часов в год
                платформу онлайн-обучения с сертифицированными курсами
                программу развития лидерства для руководителей
                оценку потребностей в обучении в каждом органе
                магистерскую программу по государственному управлению
            """,
            "goal": """
                чтобы каждый служащий получил навыки, которых требует реформа
                чтобы обучение следовало потребностям каждой должности
                чтобы сформировать общую культуру государственной службы
            """,
            "problem": """
                обучение государственных служащих было раздроблено между донорскими проектами
                курсы выбирались по наличию мест, а не по потребностям
                руководители не получали никакой подготовки перед назначением
            """,
            "result": """
                За первый год онлайн-курсы прошли {n} государственных служащих.
                Участники оценили программу развития лидерства на {k} из пяти.
                Академия теперь обучает {pct} процентов впервые назначенных служащих.
            """,
        },
        "kk": {
            "head": """
                Ұлттық мемлекеттік басқару академиясы
                Мемлекеттік қызметшілердің біліктілігін арттыру
                Мемлекеттік қызметке арналған онлайн оқыту платформасы
                Басшыларға арналған көшбасшылықты дамыту бағдарламалары
            """,
            "law": """
                мемлекеттік қызметшілерді оқыту
                мемлекеттік басқару академиясы
            """,
            "object": """
                жаңа тағайындалған қызметшілерге арналған оқу бағдарламасын
                жылына қырық сағат көлеміндегі міндетті біліктілікті арттыруды
                сертификатталған курстары бар онлайн оқыту платформасын
                басшыларға арналған көшбасшылықты дамыту бағдарламасын
                әр органда оқыту қажеттілігін бағалауды
                мемлекеттік басқару бойынша магистратура бағдарламасын
            """,
            "goal": """
                әр қызметшіге реформа талап ететін дағдыларды беру мақсатында
                оқытуды әр лауазымның қажеттілігіне сәйкестендіру мақсатында
                мемлекеттік қызметтің ортақ мәдениетін қалыптастыру мақсатында
            """,
            "problem": """
                мемлекеттік қызметшілерді оқыту донорлық жобалар арасында бытыраңқы болды
                курстар қажеттілікке емес, орын бар-жоғына қарай таңдалды
                басшылар тағайындалар алдында ешқандай дайындықтан өтпеді
            """,
            "result": """
                Бірінші жылы {n} мемлекеттік қызметші онлайн курстардан өтті.
                Қатысушылар көшбасшылық бағдарламасын беске {k} деп бағалады.
                Академия енді жаңа тағайындалған қызметшілердің {pct} пайызын оқытады.
            """,
        },
    },
    "hr-information-systems": {
        "en": {
            "head": """
                A government-wide HR information system
                Electronic personnel records for the civil service
                Digital recruitment and HR analytics
                A single database of civil servants
            """,
            "law": """
                the civil service information system
                electronic personnel records
            """,
            "object": """
                a government-wide human resources information system
                electronic personal files for every civil servant
                HR analytics dashboards for managers
                the integration of payroll and personnel records
                automated workforce planning
                the open data set on civil service staffing
            """,
            "goal": """
                to base personnel decisions on reliable data
                so that staffing figures are known in real time
                to cut the paperwork of human resources units
            """,
            "problem": """
                personnel files were kept on paper in each agency
                nobody knew exactly how many civil servants the state employed
                payroll and personnel data did not match
            """,
            "result": """
                Personnel data for {n} civil servants are now kept in one system.
                HR units spend {pct} per cent less time on paperwork.
                Staffing reports that took {k} weeks are produced in minutes.
            """,
        },
        "ru": {
            "head": """
                Единая кадровая информационная система государственных органов
                Электронные личные дела государственных служащих
                Цифровой подбор и кадровая аналитика
                Единая база данных государственных служащих
            """,
            "law": """
                информационной системе государственной службы
                электронном кадровом учёте
            """,
            "object": """
                единую кадровую информационную систему
                электронные личные дела всех государственных служащих
                панели кадровой аналитики для руководителей
                интеграцию расчёта зарплаты и кадрового учёта
                автоматизированное планирование численности
                открытые данные о численности государственной службы
            """,
            "goal": """
                чтобы кадровые решения опирались на достоверные данные
                чтобы численность персонала была известна в реальном времени
                чтобы сократить бумажную работу кадровых служб
            """,
            "problem": """
                личные дела хранились на бумаге в каждом ведомстве
                никто точно не знал, сколько государственных служащих работает в государстве
                данные расчёта зарплаты и кадрового учёта не совпадали
            """,
            "result": """
                Кадровые данные {n} государственных служащих теперь ведутся в одной системе.
                Кадровые службы тратят на бумажную работу на {pct} процентов меньше времени.
                Отчёты о численности, на которые уходило {k} недели, готовятся за минуты.
            """,
        },
        "kk": {
            "head": """
                Мемлекеттік органдардың бірыңғай кадрлық ақпараттық жүйесі
                Мемлекеттік қызметшілердің электрондық жеке істері
                Цифрлық іріктеу және кадрлық талдау
                Мемлекеттік қызметшілердің бірыңғай дерекқоры
            """,
            "law": """
                мемлекеттік қызметтің ақпараттық жүйесі
                электрондық кадрлық есеп
            """,
            "object": """
                бірыңғай кадрлық ақпараттық жүйені
                барлық мемлекеттік қызметшілердің электрондық жеке істерін
                басшыларға арналған кадрлық талдау панельдерін
                жалақы есебі мен кадрлық есепті біріктіруді
                штат санын автоматтандырылған жоспарлауды
                мемлекеттік қызмет штаты туралы ашық деректерді
            """,
            "goal": """
                кадрлық шешімдерді сенімді деректерге негіздеу мақсатында
                штат санын нақты уақытта білу мақсатында
                кадр қызметтерінің қағаз жұмысын қысқарту мақсатында
            """,
            "problem": """
                жеке істер әр ведомствода қағаз түрінде сақталды
                мемлекетте қанша мемлекеттік қызметші жұмыс істейтінін ешкім нақты білмеді
                жалақы есебі мен кадрлық есеп деректері сәйкес келмеді
            """,
            "result": """
                {n} мемлекеттік қызметшінің кадрлық деректері енді бір жүйеде жүргізіледі.
                Кадр қызметтері қағаз жұмысына {pct} пайызға аз уақыт жұмсайды.
                Бұрын {k} апта дайындалатын штат туралы есептер бірнеше минутта жасалады.
            """,
        },
    },
    "public-service-delivery": {
        "en": {
            "head": """
                One-stop shops for public services
                Public service halls for citizens
                Service standards for state bodies
                Citizen feedback on public services
            """,
            "law": """
                public services
                service standards for state bodies
            """,
            "object": """
                one-stop shops for citizens and businesses
                published standards for every public service
                the measurement of waiting times in service centres
                mobile service centres for rural areas
                citizen satisfaction surveys
                the merger of agencies' front offices
            """,
            "goal": """
                to spare citizens from queuing at many agencies
                so that every service has a clear deadline and fee
                to bring services closer to rural residents
            """,
            "problem": """
                citizens queued at many agencies, each with its own rules and fees
                nobody measured how long a service took or what it cost
                people in remote villages travelled hours to reach an office
            """,
            "result": """
                Average waiting times fell from {n} minutes to {k}.
                Citizen satisfaction reached {pct} per cent.
                The halls now provide {n} services under one roof.
            """,
        },
        "ru": {
            "head": """
                Центры обслуживания населения по принципу одного окна
                Дома юстиции и залы государственных услуг
                Стандарты государственных услуг
                Обратная связь граждан о качестве услуг
            """,
            "law": """
                государственных услугах
                стандартах оказания услуг
            """,
            "object": """
                центры обслуживания по принципу одного окна
                опубликованные стандарты каждой государственной услуги
                измерение времени ожидания в центрах обслуживания
                мобильные центры обслуживания для сельских районов
                опросы удовлетворённости граждан
                объединение приёмных разных ведомств
            """,
            "goal": """
                чтобы гражданам не приходилось стоять в очередях в разных ведомствах
                чтобы у каждой услуги были ясный срок и стоимость
                чтобы приблизить услуги к сельским жителям
            """,
            "problem": """
                граждане стояли в очередях во множестве ведомств, у каждого свои правила и сборы
                никто не измерял, сколько времени занимает услуга и сколько она стоит
                жители отдалённых сёл тратили часы на дорогу до ведомства
            """,
            "result": """
                Среднее время ожидания сократилось с {n} до {k} минут.
                Удовлетворённость граждан достигла {pct} процентов.
                Теперь в одном здании оказывается {n} услуг.
            """,
        },
        "kk": {
            "head": """
                Бір терезе қағидаты бойынша халыққа қызмет көрсету орталықтары
                Азаматтарға арналған мемлекеттік қызмет залдары
                Мемлекеттік көрсетілетін қызметтер стандарттары
                Қызмет сапасы туралы азаматтардың пікірі
            """,
            "law": """
                мемлекеттік көрсетілетін қызметтер
                қызмет көрсету стандарттары
            """,
            "object": """
                бір терезе қағидаты бойынша қызмет көрсету орталықтарын
                әр мемлекеттік қызметтің жарияланған стандарттарын
                қызмет көрсету орталықтарында күту уақытын өлшеуді
                ауылдық аудандарға арналған жылжымалы орталықтарды
                азаматтардың қанағаттануына арналған сауалнамаларды
                әртүрлі ведомстволардың қабылдау бөлмелерін біріктіруді
            """,
            "goal": """
                азаматтарды көптеген ведомстволардағы кезектен құтқару мақсатында
                әр қызметтің нақты мерзімі мен құны болуы мақсатында
                қызметтерді ауыл тұрғындарына жақындату мақсатында
            """,
            "problem": """
                азаматтар әрқайсысының өз ережелері мен алымдары бар көптеген ведомстволарда кезекте тұрды
                қызметтің қанша уақыт алатынын және қанша тұратынын ешкім өлшемеді
                шалғай ауылдардың тұрғындары мекемеге жету үшін сағаттап жол жүрді
            """,
            "result": """
                Орташа күту уақыты {n} минуттан {k} минутқа дейін қысқарды.
                Азаматтардың қанағаттануы {pct} пайызға жетті.
                Бір ғимаратта енді {n} қызмет көрсетіледі.
            """,
        },
    },
    "e-government": {
        "en": {
            "head": """
                An e-government portal for citizens
                Digital public services and electronic signatures
                Data exchange between government registries
                Proactive services without an application
            """,
            "law": """
                electronic government
                electronic documents and digital signatures
            """,
            "object": """
                the national e-government portal
                electronic digital signatures for citizens
                data exchange between state registries
                proactive services that need no application
                a mobile application for public services
                the once-only principle for citizens' data
            """,
            "goal": """
                so that citizens never provide the same document twice
                to move the most frequent services online
                to cut the cost of paper-based procedures
            """,
            "problem": """
                citizens had to bring certificates from one agency to another
                registries could not exchange data with each other
                most services required a personal visit and paper forms
            """,
            "result": """
                {pct} per cent of applications are now submitted online.
                The portal offers {n} electronic services.
                Proactive services reached {n} families in the first year.
            """,
        },
        "ru": {
            "head": """
                Портал электронного правительства для граждан
                Электронные государственные услуги и цифровая подпись
                Обмен данными между государственными реестрами
                Проактивные услуги без подачи заявления
            """,
            "law": """
                электронном правительстве
                электронном документе и электронной цифровой подписи
            """,
            "object": """
                национальный портал электронного правительства
                электронную цифровую подпись для граждан
                обмен данными между государственными реестрами
                проактивные услуги без заявления
                мобильное приложение для государственных услуг
                принцип однократного предоставления данных
            """,
            "goal": """
                чтобы граждане не предоставляли один и тот же документ дважды
                чтобы перевести самые частые услуги в онлайн
                чтобы снизить расходы на бумажные процедуры
            """,
            "problem": """
                гражданам приходилось носить справки из одного ведомства в другое
                реестры не могли обмениваться данными друг с другом
                большинство услуг требовали личного визита и бумажных бланков
            """,
            "result": """
                Теперь {pct} процентов заявлений подаются онлайн.
                На портале доступно {n} электронных услуг.
                За первый год проактивные услуги получили {n} семей.
            """,
        },
        "kk": {
            "head": """
                Азаматтарға арналған электрондық үкімет порталы
                Электрондық мемлекеттік қызметтер және цифрлық қолтаңба
                Мемлекеттік тізілімдер арасындағы деректер алмасу
                Өтінішсіз көрсетілетін проактивті қызметтер
            """,
            "law": """
                электрондық үкімет
                электрондық құжат және электрондық цифрлық қолтаңба
            """,
            "object": """
                ұлттық электрондық үкімет порталын
                азаматтарға арналған электрондық цифрлық қолтаңбаны
                мемлекеттік тізілімдер арасындағы деректер алмасуды
                өтінішсіз көрсетілетін проактивті қызметтерді
                мемлекеттік қызметтерге арналған мобильді қосымшаны
                деректерді бір рет ұсыну қағидатын
            """,
            "goal": """
                азаматтар бір құжатты екі рет ұсынбауы мақсатында
                ең жиі сұралатын қызметтерді онлайн режимге көшіру мақсатында
                қағаз рәсімдерінің шығынын азайту мақсатында
            """,
            "problem": """
                азаматтар анықтамаларды бір ведомстводан екіншісіне тасуға мәжбүр болды
                тізілімдер бір-бірімен деректер алмаса алмады
                қызметтердің көбі жеке баруды және қағаз бланктерді талап етті
            """,
            "result": """
                Енді өтініштердің {pct} пайызы онлайн беріледі.
                Порталда {n} электрондық қызмет бар.
                Бірінші жылы проактивті қызметтерді {n} отбасы алды.
            """,
        },
    },
    "innovation": {
        "en": {
            "head": """
                Innovation labs in the public sector
                An award scheme for innovative solutions
                Behavioural insights in public policy
                Co-design of services with citizens
            """,
            "law": """
                innovation in public administration
                public sector innovation laboratories
            """,
            "object": """
                an innovation lab inside the government
                an award scheme for innovative solutions in the civil service
                behavioural experiments in tax reminders
                co-design workshops with service users
                a challenge fund for civil servants' ideas
                the scaling-up of successful pilots
            """,
            "goal": """
                to encourage civil servants to test new ideas
                so that successful pilots spread to other agencies
                to learn quickly from small experiments
            """,
            "problem": """
                civil servants had no safe way to try new approaches
                good local ideas rarely spread beyond one agency
                reforms were designed without asking the people who use the services
            """,
            "result": """
                {n} proposals were submitted to the award scheme in its first round.
                {k} pilots were scaled up nationwide.
                Tax collection rose by {pct} per cent after redesigned reminder letters.
            """,
        },
        "ru": {
            "head": """
                Лаборатории инноваций в государственном секторе
                Конкурс инновационных решений
                Поведенческая экономика в государственной политике
                Совместная разработка услуг с гражданами
            """,
            "law": """
                инновациях в государственном управлении
                лабораториях инноваций государственного сектора
            """,
            "object": """
                лабораторию инноваций при правительстве
                конкурс инновационных решений на государственной службе
                поведенческие эксперименты с налоговыми уведомлениями
                семинары по совместной разработке услуг с их получателями
                фонд поддержки идей государственных служащих
                масштабирование успешных пилотных проектов
            """,
            "goal": """
                чтобы побудить служащих проверять новые идеи
                чтобы успешные пилотные проекты распространялись на другие ведомства
                чтобы быстро учиться на небольших экспериментах
            """,
            "problem": """
                у государственных служащих не было безопасного способа опробовать новые подходы
                удачные местные идеи редко выходили за пределы одного ведомства
                реформы разрабатывались без участия тех, кто пользуется услугами
            """,
            "result": """
                В первом раунде конкурса было подано {n} предложений.
                {k} пилотных проекта были распространены на всю страну.
                После переработки уведомлений налоговые поступления выросли на {pct} процентов.
            """,
        },
        "kk": {
            "head": """
                Мемлекеттік сектордағы инновациялық зертханалар
                Инновациялық шешімдер конкурсы
                Мемлекеттік саясаттағы мінез-құлықтық экономика
                Қызметтерді азаматтармен бірлесіп әзірлеу
            """,
            "law": """
                мемлекеттік басқарудағы инновациялар
                мемлекеттік сектордың инновациялық зертханалары
            """,
            "object": """
                үкімет жанындағы инновациялық зертхананы
                мемлекеттік қызметтегі инновациялық шешімдер конкурсын
                салық хабарламаларымен мінез-құлықтық эксперименттерді
                қызметтерді алушылармен бірлесіп әзірлеу семинарларын
                мемлекеттік қызметшілердің идеяларын қолдау қорын
                сәтті пилоттық жобаларды кеңейтуді
            """,
            "goal": """
                қызметшілерді жаңа идеяларды сынауға ынталандыру мақсатында
                сәтті пилоттық жобаларды басқа ведомстволарға тарату мақсатында
                шағын эксперименттерден тез үйрену мақсатында
            """,
            "problem": """
                мемлекеттік қызметшілердің жаңа тәсілдерді қауіпсіз сынайтын жолы болмады
                сәтті жергілікті идеялар бір ведомстводан әрі сирек таралды
                реформалар қызметті пайдаланатындардың қатысуынсыз әзірленді
            """,
            "result": """
                Конкурстың бірінші кезеңіне {n} ұсыныс түсті.
                {k} пилоттық жоба бүкіл елге таратылды.
                Хабарламалар қайта жасалғаннан кейін салық түсімдері {pct} пайызға өсті.
            """,
        },
    },
    "institutional-design": {
        "en": {
            "head": """
                A central authorized body for the civil service
                Functional review of state bodies
                Restructuring ministries and agencies
                Separating policy making from service delivery
            """,
            "law": """
                the system of state bodies
                the central authorized body for the civil service
            """,
            "object": """
                a functional review of all ministries
                the central authorized body for civil service affairs
                the transfer of functions to regional offices
                the separation of policy ministries from executive agencies
                the optimisation of staff numbers
                the delegation of powers to local government
            """,
            "goal": """
                to remove duplicated functions between agencies
                so that one body answers for civil service policy
                to make the state apparatus smaller and more effective
            """,
            "problem": """
                several agencies performed the same functions
                no single body was responsible for civil service policy
                ministries both made policy and delivered services themselves
            """,
            "result": """
                {n} duplicated functions were abolished or transferred.
                Staff numbers in central government fell by {pct} per cent.
                The number of agencies was reduced from {n} to {k}.
            """,
        },
        "ru": {
            "head": """
                Центральный уполномоченный орган по делам государственной службы
                Функциональный анализ государственных органов
                Реорганизация министерств и ведомств
                Разделение выработки политики и оказания услуг
            """,
            "law": """
                системе государственных органов
                уполномоченном органе по делам государственной службы
            """,
            "object": """
                функциональный анализ всех министерств
                центральный уполномоченный орган по делам государственной службы
                передачу функций территориальным подразделениям
                разделение политических министерств и исполнительных агентств
                оптимизацию штатной численности
                передачу полномочий местному самоуправлению
            """,
            "goal": """
                чтобы устранить дублирование функций между ведомствами
                чтобы за политику в сфере государственной службы отвечал один орган
                чтобы сделать государственный аппарат компактнее и эффективнее
            """,
            "problem": """
                несколько ведомств выполняли одни и те же функции
                ни один орган не отвечал за политику в сфере государственной службы
                министерства одновременно вырабатывали политику и сами оказывали услуги
            """,
            "result": """
                Упразднено или передано {n} дублирующих функций.
                Численность центрального аппарата сократилась на {pct} процентов.
                Число ведомств сокращено с {n} до {k}.
            """,
        },
        "kk": {
            "head": """
                Мемлекеттік қызмет істері жөніндегі орталық уәкілетті орган
                Мемлекеттік органдарға функционалдық талдау
                Министрліктер мен ведомстволарды қайта ұйымдастыру
                Саясатты әзірлеу мен қызмет көрсетуді ажырату
            """,
            "law": """
                мемлекеттік органдар жүйесі
                мемлекеттік қызмет істері жөніндегі уәкілетті орган
            """,
            "object": """
                барлық министрліктердің функционалдық талдауын
                мемлекеттік қызмет істері жөніндегі орталық уәкілетті органды
                функцияларды аумақтық бөлімшелерге беруді
                саяси министрліктер мен атқарушы агенттіктерді ажыратуды
                штат санын оңтайландыруды
                өкілеттіктерді жергілікті өзін-өзі басқаруға беруді
            """,
            "goal": """
                ведомстволар арасындағы функциялардың қайталануын жою мақсатында
                мемлекеттік қызмет саясатына бір орган жауап беруі мақсатында
                мемлекеттік аппаратты ықшам әрі тиімді ету мақсатында
            """,
            "problem": """
                бірнеше ведомство бірдей функцияларды атқарды
                мемлекеттік қызмет саясатына бірде-бір орган жауап бермеді
                министрліктер саясатты да әзірлеп, қызметті де өздері көрсетті
            """,
            "result": """
                Қайталанатын {n} функция жойылды немесе берілді.
                Орталық аппараттың штат саны {pct} пайызға қысқарды.
                Ведомстволар саны {n}-ден {k}-ге дейін азайтылды.
            """,
        },
    },
}

# -- sentence and title patterns per language --------------------------------------------

SENTENCE_FORM = {
    "en": "{opening} {actor} {verb} {object} {goal}.",
    "ru": "{opening} {actor} {verb} {object}, {goal}.",
    "kk": "{opening} {actor} {goal} {object} {verb}.",
}
PROBLEM_FORM = {
    "en": "Before the reform, {problem}.",
    "ru": "До реформы {problem}.",
    "kk": "Реформаға дейін {problem}.",
}
TITLE_FORMS = {
    "en": {
        "practice": [
            "{head} in {country}",
            "{head}: the experience of {country} since {year}",
            "{head} in {country}: results of the first {k} years",
        ],
        "law": [
            "Law of {country} on {law}",
            "Regulation of the government of {country} on {law}",
            "Amendments of {year} to the law of {country} on {law}",
        ],
        "profile": ["Civil service profile of {country}: {head} and other indicators, {year}"],
        "organization": [
            "National centre for {law} of {country}",
            "Department of {law} in the civil service agency of {country}",
        ],
        "expert": ["{name}, adviser on {law} in {country}"],
    },
    "ru": {
        "practice": [
            "{head} {country_in}",
            "{head}: опыт {country_gen} с {year} года",
            "{head} {country_in}: итоги первых {k} лет",
        ],
        "law": [
            "Закон {country_gen} о {law}",
            "Положение правительства {country_gen} о {law}",
            "Изменения {year} года в закон {country_gen} о {law}",
        ],
        "profile": ["Профиль государственной службы {country_gen}: показатели {year} года"],
        "organization": [
            "Национальный центр {country_gen} по вопросам о {law}",
            "Департамент агентства по делам государственной службы {country_gen}: вопросы о {law}",
        ],
        "expert": ["{name}, советник по вопросам о {law}, {country}"],
    },
    "kk": {
        "practice": [
            "{country_loc}: {head}",
            "{head}: {country_gen} {year} жылдан бергі тәжірибесі",
            "{country_loc}: {head} — алғашқы {k} жылдың қорытындысы",
        ],
        "law": [
            "{country_gen} {law} туралы заңы",
            "{country_gen} үкіметінің {law} туралы ережесі",
            "{country_gen} {law} туралы заңына {year} жылғы өзгерістер",
        ],
        "profile": ["{country_gen} мемлекеттік қызмет бейіні: {year} жылғы көрсеткіштер"],
        "organization": [
            "{country_gen} {law} мәселелері жөніндегі ұлттық орталығы",
            "{country_gen} мемлекеттік қызмет істері агенттігінің {law} департаменті",
        ],
        "expert": ["{name}, {law} жөніндегі кеңесші, {country}"],
    },
}

# The values slots take when a pool text is embedded (any fixed values do).
CANONICAL = {
    "year": "2016",
    "year2": "2019",
    "n": "24",
    "k": "3",
    "pct": "30",
    "name": "Aigerim Sadykova",
}


# -- the pool ----------------------------------------------------------------------------


@dataclass
class Pool:
    """Every text documents are made of, each with its vector's row in `vectors`."""

    texts: list[str] = field(default_factory=list)
    # (language, topic) -> indexes of action sentences; (language, topic, "problem"|"result")
    # -> indexes; (language, "general") -> indexes
    groups: dict[tuple, list[int]] = field(default_factory=dict)
    # (language, kind, topic) -> indexes of titles
    titles: dict[tuple, list[int]] = field(default_factory=dict)
    vectors: np.ndarray | None = None

    def add(self, key: tuple, text: str, titles: bool = False) -> None:
        (self.titles if titles else self.groups).setdefault(key, []).append(len(self.texts))
        self.texts.append(text)


def _capitalize(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def build_pool() -> Pool:
    rng = random.Random(POOL_SEED)
    pool = Pool()
    for language, general in GENERAL.items():
        parts = {name: _lines(block) for name, block in general.items()}
        for sentence in parts["sentence"]:
            pool.add((language, "general"), sentence)
        for slug, by_language in TOPICS.items():
            topic = {name: _lines(block) for name, block in by_language[language].items()}
            combos = set()
            while len(combos) < ACTIONS_PER_TOPIC:
                combos.add(
                    (
                        rng.randrange(len(parts["opening"])),
                        rng.randrange(len(parts["actor"])),
                        rng.randrange(len(parts["verb"])),
                        rng.randrange(len(topic["object"])),
                        rng.randrange(len(topic["goal"])),
                    )
                )
            for o, a, v, ob, g in sorted(combos):
                sentence = SENTENCE_FORM[language].format(
                    opening=parts["opening"][o],
                    actor=parts["actor"][a],
                    verb=parts["verb"][v],
                    object=topic["object"][ob],
                    goal=topic["goal"][g],
                )
                pool.add((language, slug), _capitalize(sentence))
            for problem in topic["problem"]:
                pool.add(
                    (language, slug, "problem"), PROBLEM_FORM[language].format(problem=problem)
                )
            for result in topic["result"]:
                pool.add((language, slug, "result"), result)
            for kind, forms in TITLE_FORMS[language].items():
                fills = topic["law"] if kind in ("law", "organization", "expert") else topic["head"]
                for form in forms:
                    for fill in fills:
                        title = form.replace("{head}", fill).replace("{law}", fill)
                        pool.add((language, kind, slug), _capitalize(title), titles=True)
    return pool


def canonical_text(template: str, language: str) -> str:
    """A pool text with its slots filled by fixed values, as it is embedded."""
    values = dict(CANONICAL)
    values |= _country_slots(COUNTRIES[0], language)
    values |= _country_slots(COUNTRIES[7], language, suffix="2")
    values["country_loc"] = values["country_in"]
    return _fill(template, values)


def _fill(template: str, values: dict[str, str]) -> str:
    return template.format_map(values) if "{" in template else template


def pool_key(pool: Pool, model: str) -> str:
    digest = hashlib.sha1(model.encode())
    for t in pool.texts:
        digest.update(t.encode() + b"\0")
    return digest.hexdigest()[:16]


def _language_of(pool: Pool) -> list[str]:
    languages = [""] * len(pool.texts)
    for key, indexes in list(pool.groups.items()) + list(pool.titles.items()):
        for i in indexes:
            languages[i] = key[0]
    return languages


def embed_pool(pool: Pool, cache_dir: Path | None, progress: Callable | None = None) -> None:
    """Give the pool its vectors, from the cache when it has them, else from the model
    (and then into the cache)."""
    embedder = get_embedder()
    path = None
    if cache_dir is not None:
        path = Path(cache_dir) / f"pool-{pool_key(pool, embedder.name)}.npy"
        if path.exists():
            vectors = np.load(path)
            if vectors.shape == (len(pool.texts), embedder.dim):
                pool.vectors = vectors
                return
    languages = _language_of(pool)
    texts = [canonical_text(t, lang) for t, lang in zip(pool.texts, languages, strict=True)]
    vectors = np.empty((len(texts), embedder.dim), dtype=np.float32)
    for start in range(0, len(texts), EMBED_BATCH):
        vectors[start : start + EMBED_BATCH] = embedder.passages(texts[start : start + EMBED_BATCH])
        if progress:
            progress(min(start + EMBED_BATCH, len(texts)), len(texts))
    pool.vectors = vectors
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, vectors)
        tmp.replace(path)


# -- documents ---------------------------------------------------------------------------


@dataclass
class Plan:
    """One document to write."""

    kind: str
    object_id: str
    language: str
    is_original: bool
    path: str
    year: int
    title: str
    body: str
    parts: list[int]  # pool indexes: the title first
    country_codes: list[str]
    topics: list[str]


def _choose(rng: random.Random, shares: dict):
    """A key of `shares` (key: share, or key: (share, ...)), drawn by its share."""
    r, total = rng.random(), 0.0
    for key, share in shares.items():
        total += share[0] if isinstance(share, tuple) else share
        if r < total:
            return key
    return key


def _word_target(rng: random.Random, low: int, median: int, high: int) -> int:
    return int(min(high, max(low, rng.lognormvariate(math.log(median), 0.45))))


def _values(rng: random.Random, language: str, country: list[str], other: list[str], year: int):
    values = _country_slots(country, language) | _country_slots(other, language, suffix="2")
    values["country_loc"] = values["country_in"] if language == "kk" else values["country"]
    first, last = (s.split() for s in NAMES[language])
    values |= {
        "year": str(year),
        "year2": str(min(2025, year + rng.randint(1, 6))),
        "n": str(rng.choice([12, 15, 18, 24, 30, 35, 40, 48, 60, 75, 120, 150, 240, 300])),
        "k": str(rng.randint(2, 9)),
        "pct": str(rng.choice([10, 12, 15, 18, 20, 25, 30, 35, 40, 45, 60])),
        "name": f"{rng.choice(first)} {rng.choice(last)}",
    }
    return values


def _compose(
    rng: random.Random, pool: Pool, language: str, kind: str, topics: list[str], values: dict
) -> tuple[str, str, list[int]]:
    _share, _segment, low, median, high = KINDS[kind]
    target = _word_target(rng, low, median, high)
    main = topics[0]
    titles = pool.titles[(language, kind, main)]
    title_i = rng.choice(titles)
    for _attempt in range(5):  # titles of 6 to 15 words where the slots allow
        if len(_fill(pool.texts[title_i], values).split()) <= 15:
            break
        title_i = rng.choice(titles)
    parts = [title_i]
    used: set[int] = set()

    def pick(key):
        choices = pool.groups[key]
        for _attempt in range(4):  # a sentence once per document, mostly
            i = rng.choice(choices)
            if i not in used:
                break
        used.add(i)
        return i

    paragraphs: list[list[int]] = [[pick((language, main, "problem")), pick((language, "general"))]]
    words = sum(len(pool.texts[i].split()) for i in paragraphs[0])
    current: list[int] = []
    while words < target:
        r = rng.random()
        if r < 0.6:
            i = pick((language, main))
        elif r < 0.75 and len(topics) > 1:
            i = pick((language, topics[1]))
        elif r < 0.85:
            i = pick((language, main, "result"))
        else:
            i = pick((language, "general"))
        length = len(pool.texts[i].split())
        if words + length > high:
            break
        current.append(i)
        words += length
        if len(current) >= rng.randint(3, 5):
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    body = "\n\n".join(
        " ".join(_fill(pool.texts[i], values) for i in paragraph) for paragraph in paragraphs
    )
    parts += [i for paragraph in paragraphs for i in paragraph]
    return _fill(pool.texts[title_i], values), body, parts


def plan(n: int, seed: int, pool: Pool) -> list[Plan]:
    """The `n` documents of a corpus, the same for the same seed."""
    rng = random.Random(seed)
    topic_slugs = list(TOPICS)
    plans: list[Plan] = []
    record = 0
    while len(plans) < n:
        record += 1
        kind = _choose(rng, KINDS)
        count = _choose(rng, VERSIONS)
        languages = [_choose(rng, LANGUAGE_SHARES)]
        others = [code for code in LANGUAGE_SHARES if code != languages[0]]
        rng.shuffle(others)
        languages += others[: int(count) - 1]
        country = rng.choice(COUNTRIES)
        codes = [country[0]]
        if rng.random() < 0.2:
            codes.append(rng.choice(COUNTRIES)[0])
        other = rng.choice([c for c in COUNTRIES if c is not country])
        topics = [rng.choice(topic_slugs)]
        if rng.random() < 0.4:
            topics.append(rng.choice([t for t in topic_slugs if t != topics[0]]))
        low, high = {"law": (1995, 2025), "profile": (2018, 2025)}.get(kind, (2005, 2025))
        year = rng.randint(low, high)
        object_id = f"{PREFIX}{seed}-{record}"
        segment = KINDS[kind][1]
        for i, language in enumerate(languages):
            if len(plans) == n:
                break
            values = _values(rng, language, country, other, year)
            title, body, parts = _compose(rng, pool, language, kind, topics, values)
            plans.append(
                Plan(
                    kind=kind,
                    object_id=object_id,
                    language=language,
                    is_original=(i == 0),
                    path=f"/{segment}/{object_id}/",
                    year=year,
                    title=title,
                    body=body,
                    parts=parts,
                    country_codes=sorted(set(codes)),
                    topics=topics,
                )
            )
    return plans


def vector_of(pool: Pool, parts: list[int]) -> np.ndarray:
    """The normalized mean of the title's (counted twice) and the sentences' vectors."""
    rows = pool.vectors[[parts[0], *parts]]
    mean = rows.mean(axis=0)
    return (mean / max(float(np.linalg.norm(mean)), 1e-6)).astype(np.float32)


# -- writing and removing ----------------------------------------------------------------


def bench_documents():
    return SearchDocument.objects.filter(object_id__startswith=PREFIX)


def count() -> int:
    return bench_documents().count()


def remove() -> int:
    """Delete every benchmark document (and its links to countries and topics), nothing else."""
    docs = bench_documents()
    removed = docs.count()
    if not removed:
        return 0
    with transaction.atomic():
        for name in ("countries", "topics", "sdg_targets"):
            through = getattr(SearchDocument, name).through
            through.objects.filter(searchdocument__object_id__startswith=PREFIX).delete()
        table = SearchDocument._meta.db_table
        with connection.cursor() as cursor:
            # One statement: the ORM would first load every id to cascade by hand.
            cursor.execute(f"DELETE FROM {table} WHERE object_id LIKE %s", [PREFIX + "%"])
        indexing.bump_generation()
    return removed


@dataclass
class Report:
    written: int = 0
    removed: int = 0
    with_vectors: bool = True


def write(
    n: int,
    seed: int = 1,
    *,
    vectors: bool = True,
    cache_dir: Path | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Report:
    """Write `n` benchmark documents (the same ones for the same seed) and bump the index's
    generation. `progress(stage, done, total)` is called as the work goes on."""
    if not 1 <= n <= MAX_N:
        raise ValueError(f"n must be between 1 and {MAX_N:,}, not {n}.")
    pool = build_pool()
    if vectors:
        embed_pool(
            pool, cache_dir, progress and (lambda done, total: progress("embed", done, total))
        )
    plans = plan(n, seed, pool)
    model = get_embedder().name if vectors else ""
    countries = dict(Country.objects.values_list("code", "pk"))
    topics = dict(Topic.objects.values_list("slug", "pk"))
    country_links = SearchDocument.countries.through
    topic_links = SearchDocument.topics.through
    report = Report(with_vectors=vectors)
    with signals.paused():
        for start in range(0, n, BATCH):
            batch = plans[start : start + BATCH]
            docs = []
            for p in batch:
                doc = SearchDocument(
                    kind=p.kind,
                    object_id=p.object_id,
                    language=p.language,
                    is_original=p.is_original,
                    audience=Audience.PUBLIC,
                    title=p.title,
                    body=p.body,
                    title_terms=text.index_terms(p.title, p.language),
                    body_terms=text.index_terms(p.body, p.language),
                    path=p.path,
                    year=p.year,
                    text_hash=text_hash(p.title, p.body),
                )
                if vectors:
                    doc.vector = vector_of(pool, p.parts).tobytes()
                    doc.vector_hash = doc.text_hash
                    doc.vector_model = model
                docs.append(doc)
            with transaction.atomic():
                SearchDocument.objects.bulk_create(docs)
                country_links.objects.bulk_create(
                    country_links(searchdocument_id=doc.pk, country_id=countries[code])
                    for doc, p in zip(docs, batch, strict=True)
                    for code in p.country_codes
                    if code in countries
                )
                topic_links.objects.bulk_create(
                    topic_links(searchdocument_id=doc.pk, topic_id=topics[slug])
                    for doc, p in zip(docs, batch, strict=True)
                    for slug in p.topics
                    if slug in topics
                )
            report.written += len(docs)
            if progress:
                progress("write", report.written, n)
    indexing.bump_generation()
    return report
