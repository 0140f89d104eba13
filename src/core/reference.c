#include "core/reference.h"

#include <string.h>

#include "util/banned.h"

/*
 * The reference metropolitan municipality (Kayseri by default). Names follow the way Turkish
 * büyükşehir belediyeleri name their units; the water and sewerage administration is an
 * affiliated general directorate, so its sub-units are daire başkanlıkları.
 */
/* a table laid out by hand */
/* clang-format off */
const struct ref_department ref_departments[] = {
    /* code, parent, institution, name_tr, name_en */
    {"FEN", NULL, "METRO", "Fen İşleri Dairesi Başkanlığı", "Department of Public Works"},
    {"ULASIM", NULL, "METRO", "Ulaşım Planlama ve Raylı Sistem Dairesi Başkanlığı",
     "Department of Transport Planning and Rail Systems"},
    {"CEVRE", NULL, "METRO", "Çevre Koruma ve Kontrol Dairesi Başkanlığı",
     "Department of Environmental Protection and Control"},
    {"PARK", NULL, "METRO", "Park ve Bahçeler Dairesi Başkanlığı",
     "Department of Parks and Gardens"},
    {"ZABITA", NULL, "METRO", "Zabıta Dairesi Başkanlığı", "Municipal Police Department"},
    {"SOSYAL", NULL, "METRO", "Sosyal Hizmetler Dairesi Başkanlığı",
     "Department of Social Services"},
    {"SAGLIK", NULL, "METRO", "Sağlık İşleri Dairesi Başkanlığı",
     "Department of Health Affairs"},
    {"SU", NULL, "WATER", "Su ve Kanalizasyon İdaresi Genel Müdürlüğü",
     "Water and Sewerage Administration (General Directorate)"},
    {"ITFAIYE", NULL, "METRO", "İtfaiye Dairesi Başkanlığı", "Fire Department"},
    {"MEZARLIK", NULL, "METRO", "Mezarlıklar ve Cenaze Hizmetleri Dairesi Başkanlığı",
     "Department of Cemeteries and Funeral Services"},
    {"VETERINER", NULL, "METRO", "Veteriner İşleri Dairesi Başkanlığı",
     "Department of Veterinary Affairs"},
    {"KULTUR", NULL, "METRO", "Kültür, Sosyal İşler, Gençlik ve Spor Dairesi Başkanlığı",
     "Department of Culture, Social Affairs, Youth and Sports"},
    {"IMAR", NULL, "METRO", "İmar ve Şehircilik Dairesi Başkanlığı",
     "Department of Zoning and Urban Planning"},
    {"DIS", NULL, "EXT", "Yetki Dışı (Diğer Kurumlar)",
     "Outside municipal authority (other institutions)"},

    /* şube müdürlükleri */
    {"FEN_YOL", "FEN", "METRO", "Yol Yapım Bakım ve Onarım Şube Müdürlüğü",
     "Road Construction, Maintenance and Repair Branch"},
    {"FEN_KARLA", "FEN", "METRO", "Karla Mücadele ve Makine İkmal Şube Müdürlüğü",
     "Snow Clearing and Machinery Supply Branch"},
    {"FEN_ALTYAPI", "FEN", "METRO", "Altyapı Koordinasyon Şube Müdürlüğü",
     "Infrastructure Coordination Branch"},
    {"ULASIM_TOPLU", "ULASIM", "METRO", "Toplu Taşıma Şube Müdürlüğü",
     "Public Transport Branch"},
    {"ULASIM_TRAFIK", "ULASIM", "METRO", "Trafik Hizmetleri Şube Müdürlüğü",
     "Traffic Services Branch"},
    {"ULASIM_RAYLI", "ULASIM", "METRO", "Raylı Sistem Şube Müdürlüğü", "Rail Systems Branch"},
    {"CEVRE_ATIK", "CEVRE", "METRO", "Atık Yönetimi Şube Müdürlüğü",
     "Waste Management Branch"},
    {"CEVRE_TEMIZLIK", "CEVRE", "METRO", "Temizlik İşleri Şube Müdürlüğü",
     "Street Cleaning Branch"},
    {"CEVRE_DENETIM", "CEVRE", "METRO", "Çevre Denetim Şube Müdürlüğü",
     "Environmental Inspection Branch"},
    {"PARK_YESIL", "PARK", "METRO", "Yeşil Alan Bakım ve Onarım Şube Müdürlüğü",
     "Green Space Maintenance Branch"},
    {"PARK_PEYZAJ", "PARK", "METRO", "Peyzaj Proje ve Uygulama Şube Müdürlüğü",
     "Landscape Design and Works Branch"},
    {"ZABITA_SUBE", "ZABITA", "METRO", "Zabıta Şube Müdürlüğü", "Municipal Police Branch"},
    {"ZABITA_RUHSAT", "ZABITA", "METRO", "İşyeri Ruhsat ve Denetim Şube Müdürlüğü",
     "Business Licensing and Inspection Branch"},
    {"SOSYAL_YARDIM", "SOSYAL", "METRO", "Sosyal Yardım Şube Müdürlüğü", "Social Aid Branch"},
    {"SOSYAL_ENGELLI", "SOSYAL", "METRO", "Engelli ve Yaşlı Hizmetleri Şube Müdürlüğü",
     "Disabled and Elderly Services Branch"},
    {"SAGLIK_HIZMET", "SAGLIK", "METRO", "Sağlık Hizmetleri Şube Müdürlüğü",
     "Health Services Branch"},
    {"SAGLIK_EVDE", "SAGLIK", "METRO", "Evde Sağlık ve Hasta Nakil Şube Müdürlüğü",
     "Home Health Care and Patient Transport Branch"},
    {"SU_ICMESUYU", "SU", "WATER", "İçmesuyu Dairesi Başkanlığı",
     "Drinking Water Department"},
    {"SU_ATIKSU", "SU", "WATER", "Atıksu Dairesi Başkanlığı", "Wastewater Department"},
    {"SU_MUSTERI", "SU", "WATER", "Abone İşleri Dairesi Başkanlığı",
     "Subscriber Services Department"},
    {"ITFAIYE_MUDAHALE", "ITFAIYE", "METRO", "Yangın ve Kurtarma Şube Müdürlüğü",
     "Fire and Rescue Branch"},
    {"ITFAIYE_ONLEME", "ITFAIYE", "METRO", "Yangın Önleme ve Eğitim Şube Müdürlüğü",
     "Fire Prevention and Training Branch"},
    {"MEZARLIK_CENAZE", "MEZARLIK", "METRO", "Cenaze Hizmetleri Şube Müdürlüğü",
     "Funeral Services Branch"},
    {"MEZARLIK_ISLETME", "MEZARLIK", "METRO", "Mezarlıklar İşletme Şube Müdürlüğü",
     "Cemetery Operations Branch"},
    {"VETERINER_REHAB", "VETERINER", "METRO",
     "Sahipsiz Hayvanlar Bakım ve Rehabilitasyon Şube Müdürlüğü",
     "Stray Animal Care and Rehabilitation Branch"},
    {"VETERINER_HALK", "VETERINER", "METRO", "Veteriner Halk Sağlığı Şube Müdürlüğü",
     "Veterinary Public Health Branch"},
    {"KULTUR_SANAT", "KULTUR", "METRO", "Kültür ve Sanat Şube Müdürlüğü",
     "Culture and Arts Branch"},
    {"KULTUR_KUTUPHANE", "KULTUR", "METRO", "Kütüphane ve Arşiv Şube Müdürlüğü",
     "Libraries and Archives Branch"},
    {"KULTUR_SPOR", "KULTUR", "METRO", "Gençlik ve Spor Hizmetleri Şube Müdürlüğü",
     "Youth and Sports Services Branch"},
    {"IMAR_PLANLAMA", "IMAR", "METRO", "Planlama Şube Müdürlüğü", "Urban Planning Branch"},
    {"IMAR_YAPI", "IMAR", "METRO", "Yapı Kontrol Şube Müdürlüğü", "Building Control Branch"},
    {"IMAR_HARITA", "IMAR", "METRO", "Harita ve Numarataj Şube Müdürlüğü",
     "Mapping and Address Numbering Branch"},
};
/* clang-format on */

const size_t ref_departments_len = sizeof(ref_departments) / sizeof(ref_departments[0]);

/*
 * Allowances follow a 153 centre's practice: things that endanger people or stop a street
 * (snow, fallen trees, water outages, funerals) count calendar days and are due the same or
 * next day; requests that need a survey, a budget or a board decision count working days.
 * DIS applications are redirected at once, so they get 1/1 calendar day.
 */
#define WD true  /* working days */
#define CD false /* calendar days */

/* a table laid out by hand */
/* clang-format off */
const struct ref_category ref_categories[] = {
    /* code, department, name_tr, name_en, keywords,
     * first_response_days, sla_days, working_days, priority, redirect */

    /* Fen İşleri */
    {"FEN_YOL_CUKUR", "FEN", "Yol çukuru / bozuk asfalt", "Pothole / broken asphalt",
     "çukur çukurlar asfalt yol bozuk bozulmuş delik yama tümsek göçük araç lastik patladı",
     2, 10, WD, "normal", NULL},
    {"FEN_ASFALT", "FEN", "Asfalt / yeni yol yapım talebi", "Asphalt / new road request",
     "asfalt asfaltlama yeni yol yapım talep toprak yol çamur stabilize yol açılması sokak",
     5, 60, WD, "low", NULL},
    {"FEN_KALDIRIM", "FEN", "Kaldırım ve bordür onarımı", "Pavement and kerb repair",
     "kaldırım bordür parke taşı kilitli parke kırık sökülmüş çökmüş yürüme yolu engelli rampa",
     3, 20, WD, "normal", NULL},
    {"FEN_KAR", "FEN", "Kar küreme", "Snow ploughing",
     "kar küreme karla mücadele kar temizleme yol kapandı kapalı greyder iş makinesi mahsur",
     1, 1, CD, "high", NULL},
    {"FEN_TUZLAMA", "FEN", "Buzlanma ve tuzlama", "Ice and road salting",
     "buzlanma buz tuzlama tuz kum atılmadı kaygan yol don yokuş kayıyor gizli buzlanma",
     1, 1, CD, "high", NULL},
    {"FEN_KASIS", "FEN", "Kasis / hız kesici talebi", "Speed bump request",
     "kasis hız kesici hız tümseği tümsek araçlar hızlı geçiyor okul önü yaya geçidi",
     5, 30, WD, "low", NULL},
    {"FEN_ISTINAT", "FEN", "İstinat duvarı / yol çökmesi", "Retaining wall / road collapse",
     "istinat duvarı duvar yıkıldı yıkılmak üzere yol çökmesi çöktü göçük heyelan toprak kayması",
     1, 15, WD, "high", NULL},
    {"FEN_MERDIVEN", "FEN", "Merdiven, korkuluk ve yaya yolu",
     "Steps, railings and footpaths",
     "merdiven basamak korkuluk tırabzan kırık yaya yolu yaya köprüsü üst geçit alt geçit",
     3, 20, WD, "normal", NULL},

    /* Ulaşım */
    {"ULA_OTOBUS_SEFER", "ULASIM", "Otobüs seferleri ve gecikmeler", "Bus services and delays",
     "otobüs sefer gecikme gelmedi geç kaldı bekledim saat tarife dolu az sefer hat durak",
     2, 10, WD, "normal", NULL},
    {"ULA_OTOBUS_SURUCU", "ULASIM", "Otobüs şoförü şikayeti", "Bus driver complaint",
     "otobüs şoför şoförü sürücü kaptan kaba davranış durmadı almadı hızlı telefon sigara "
     "hakaret",
     3, 15, WD, "normal", NULL},
    {"ULA_HAT_DURAK", "ULASIM", "Yeni hat / durak talebi", "New bus line / stop request",
     "yeni hat durak talebi güzergah otobüs hattı eklensin durak konulsun sefer uzatılması",
     5, 30, WD, "low", NULL},
    {"ULA_DURAK_BAKIM", "ULASIM", "Durak ve bekleme alanı bakımı",
     "Bus stop and shelter maintenance",
     "durak bekleme alanı kırık cam oturak çatı bilgi ekranı durak temizliği kapalı durak",
     3, 15, WD, "normal", NULL},
    {"ULA_KART", "ULASIM", "Ulaşım kartı (Kayseri Kart) işlemleri",
     "Travel card (Kayseri Kart) services",
     "kart kayserikart kayseri kart bakiye dolum yükleme öğrenci kartı indirimli vize kayıp "
     "kart iade abonman",
     2, 10, WD, "normal", NULL},
    {"ULA_TRAMVAY", "ULASIM", "Tramvay hizmetleri", "Tram services",
     "tramvay raylı sistem sefer istasyon turnike gecikme kalabalık vagon ray",
     2, 10, WD, "normal", NULL},
    {"ULA_BISIKLET", "ULASIM", "Bisiklet paylaşım sistemi", "Bike share system",
     "bisiklet paylaşım kiralık bisiklet istasyon kilit açılmıyor bakiye bisiklet yolu",
     2, 10, WD, "low", NULL},
    {"ULA_OTOPARK", "ULASIM", "Otopark hizmetleri", "Car parks",
     "otopark park yeri ücret katlı otopark görevli fiş yol kenarı parkomat abonelik",
     2, 10, WD, "low", NULL},
    {"ULA_KAYIP_ESYA", "ULASIM", "Toplu taşımada kayıp eşya",
     "Lost property on public transport",
     "kayıp eşya unuttum düşürdüm otobüste tramvayda çanta cüzdan telefon anahtar bulunan",
     1, 7, WD, "normal", NULL},
    {"ULA_SINYALIZASYON", "ULASIM", "Trafik ışıkları / sinyalizasyon arızası",
     "Traffic light / signal failure",
     "trafik ışığı ışıklar sinyalizasyon lamba yanmıyor arıza kavşak sarı yanıp sönüyor "
     "yaya butonu",
     1, 2, CD, "high", NULL},
    {"ULA_LEVHA_CIZGI", "ULASIM", "Trafik levhası ve yol çizgisi",
     "Traffic signs and road markings",
     "trafik levhası tabela yön levhası devrilmiş yol çizgisi şerit yaya geçidi boyası silinmiş",
     3, 20, WD, "normal", NULL},
    {"ULA_TAKSI_DOLMUS", "ULASIM", "Taksi ve minibüs (dolmuş) şikayeti",
     "Taxi and minibus (dolmuş) complaint",
     "taksi dolmuş minibüs taksimetre fazla ücret yolcu almadı şoför kaba uzun yol",
     3, 15, WD, "normal", NULL},

    /* Çevre Koruma ve Kontrol */
    {"CEV_COP_TOPLAMA", "CEVRE", "Çöp toplanmaması", "Garbage not collected",
     "çöp çöpler atık toplanmadı alınmadı konteyner taşıyor kokuyor çöp kamyonu gelmedi",
     1, 2, CD, "normal", NULL},
    {"CEV_KONTEYNER", "CEVRE", "Çöp konteyneri talebi / hasarı",
     "Garbage container request / damage",
     "konteyner çöp kutusu kırık yeni konteyner talebi yıkama kapak tekerlek yer değiştirme",
     2, 10, WD, "normal", NULL},
    {"CEV_ILACLAMA", "CEVRE", "Haşere ve sinek ilaçlama", "Pest and insect spraying",
     "ilaçlama ilaç sinek sivrisinek haşere böcek hamam böceği fare kene larva",
     2, 7, WD, "normal", NULL},
    {"CEV_SOKAK_TEMIZLIK", "CEVRE", "Cadde ve sokak temizliği", "Street cleaning",
     "sokak cadde temizlik temizliği süpürme kirli pislik yaprak yıkama süpürülmedi",
     1, 3, CD, "normal", NULL},
    {"CEV_MOLOZ", "CEVRE", "Moloz / hafriyat dökümü", "Rubble / excavation dumping",
     "moloz hafriyat döküm dökülmüş inşaat atığı kaçak döküm toprak yığını eski eşya",
     2, 10, WD, "normal", NULL},
    {"CEV_HAVA_KIRLILIGI", "CEVRE", "Hava kirliliği / baca dumanı / koku",
     "Air pollution / chimney smoke / odour",
     "hava kirliliği baca dumanı duman is koku kömür lastik yakıyor fabrika kötü koku",
     2, 15, WD, "normal", NULL},
    {"CEV_GURULTU", "CEVRE", "Çevresel gürültü (inşaat, jeneratör)",
     "Environmental noise (construction, generators)",
     "gürültü ses inşaat jeneratör gece çalışma iş makinesi kompresör rahatsız",
     2, 10, WD, "normal", NULL},
    {"CEV_GERI_DONUSUM", "CEVRE", "Geri dönüşüm ve atık pil/yağ toplama",
     "Recycling and waste battery/oil collection",
     "geri dönüşüm atık pil atık yağ kızartma yağı kağıt cam plastik elektronik atık kutusu",
     3, 15, WD, "low", NULL},

    /* Park ve Bahçeler */
    {"PARK_BAKIM", "PARK", "Park bakımı ve oyun grupları", "Park and playground maintenance",
     "park bakım oyun grubu salıncak kaydırak kırık bank oturak aydınlatma park temizliği",
     3, 15, WD, "normal", NULL},
    {"PARK_AGAC_BUDAMA", "PARK", "Ağaç budama", "Tree pruning",
     "ağaç budama dal dallar kesim kesilmesi cama değiyor kurumuş ağaç kuru dal",
     5, 30, WD, "low", NULL},
    {"PARK_AGAC_TEHLIKE", "PARK", "Devrilen / tehlikeli ağaç", "Fallen / dangerous tree",
     "ağaç devrildi düştü devrilecek tehlikeli eğildi fırtına yola düştü dal kırıldı araç "
     "üstüne",
     1, 1, CD, "urgent", NULL},
    {"PARK_SULAMA", "PARK", "Çim, sulama ve yeşil alan bakımı",
     "Lawns, irrigation and green space upkeep",
     "çim sulama yeşil alan biçme ot kurumuş fıskiye su akıyor refüj orta refüj",
     3, 15, WD, "low", NULL},
    {"PARK_HOBI_BAHCE", "PARK", "Hobi bahçesi başvurusu", "Hobby garden application",
     "hobi bahçesi bahçeleri başvuru kiralama kura sonucu hobi bahçe",
     5, 30, WD, "low", NULL},
    {"PARK_YENI_PARK", "PARK", "Yeni park / yeşil alan talebi", "New park / green space request",
     "yeni park yeşil alan talebi oyun parkı yapılsın boş alan mesire alanı",
     5, 60, WD, "low", NULL},

    /* Zabıta */
    {"ZAB_SEYYAR", "ZABITA", "Seyyar satıcı", "Street vendors",
     "seyyar satıcı işportacı tezgah sokak satıcısı arabalı satıcı izinsiz satış",
     1, 3, CD, "normal", NULL},
    {"ZAB_ISGAL", "ZABITA", "Kaldırım / yol işgali", "Pavement / road obstruction",
     "işgal kaldırım işgali masa sandalye tezgah yol işgali kaldırıma park malzeme",
     1, 5, WD, "normal", NULL},
    {"ZAB_FIRIN", "ZABITA", "Fırın ve ekmek denetimi (gramaj, hijyen)",
     "Bakery and bread inspection (weight, hygiene)",
     "fırın ekmek gramaj hijyen ekmek küçük eksik gramaj bayat ekmek fiyatı pide",
     1, 5, WD, "normal", NULL},
    {"ZAB_GIDA", "ZABITA", "Gıda işyeri / market / lokanta denetimi",
     "Food business / shop / restaurant inspection",
     "gıda market lokanta restoran hijyen son kullanma tarihi bozuk yemek zehirlenme kasap",
     1, 5, WD, "high", NULL},
    {"ZAB_FIYAT", "ZABITA", "Fiyat etiketi ve fahiş fiyat", "Price labels and excessive prices",
     "fiyat etiketi etiket yok fahiş fiyat kasada farklı fiyat pahalı tarife",
     2, 10, WD, "normal", NULL},
    {"ZAB_ISYERI_GURULTU", "ZABITA", "İşyeri kaynaklı gürültü ve rahatsızlık",
     "Noise and nuisance from businesses",
     "işyeri gürültü müzik kahvehane kafe bar düğün salonu gece yüksek ses rahatsızlık",
     1, 5, WD, "normal", NULL},
    {"ZAB_DILENCI", "ZABITA", "Dilenci", "Begging",
     "dilenci dilenen dilencilik çocuk sokakta para istiyor kavşakta",
     1, 3, CD, "normal", NULL},
    {"ZAB_RUHSAT", "ZABITA", "İşyeri açma ve çalışma ruhsatı",
     "Business opening and operating licence",
     "ruhsat işyeri açma çalışma ruhsatı izin belge başvuru ruhsatsız işyeri",
     3, 15, WD, "low", NULL},
    {"ZAB_METRUK", "ZABITA", "Metruk bina / boş arsa güvenliği",
     "Derelict building / vacant lot security",
     "metruk bina boş arsa terk edilmiş harabe madde bağımlısı tehlike etrafı çevrilsin",
     2, 15, WD, "high", NULL},

    /* Sosyal Hizmetler */
    {"SOS_YARDIM", "SOSYAL", "Sosyal yardım (gıda, yakacak, nakdi)",
     "Social aid (food, fuel, cash)",
     "sosyal yardım gıda kolisi erzak yakacak kömür nakdi maddi yardım muhtaç fakir",
     3, 15, WD, "normal", NULL},
    {"SOS_ENGELLI", "SOSYAL", "Engelli hizmetleri", "Services for the disabled",
     "engelli tekerlekli sandalye akülü araç engelli kartı hasta bezi işitme cihazı",
     3, 15, WD, "normal", NULL},
    {"SOS_YASLI", "SOSYAL", "Yaşlı bakım ve evde destek", "Elderly care and home support",
     "yaşlı bakım evde destek yalnız yaşayan temizlik kişisel bakım huzurevi kimsesiz",
     2, 10, WD, "normal", NULL},
    {"SOS_ASEVI", "SOSYAL", "Aşevi / sıcak yemek", "Soup kitchen / hot meals",
     "aşevi sıcak yemek yemek dağıtımı iftar çadırı öğle yemeği",
     2, 7, WD, "normal", NULL},
    {"SOS_EVSIZ", "SOSYAL", "Evsiz vatandaş", "Homeless person",
     "evsiz sokakta yatıyor yatan kimsesiz barınma soğukta kaldı misafirhane",
     1, 1, CD, "high", NULL},
    {"SOS_EGITIM", "SOSYAL", "Eğitim desteği ve kırtasiye yardımı",
     "Education support and stationery aid",
     "eğitim desteği kırtasiye burs öğrenci yardımı okul çantası etüt kitap",
     5, 30, WD, "low", NULL},

    /* Sağlık İşleri */
    {"SAG_HASTA_NAKIL", "SAGLIK", "Hasta nakil hizmeti", "Patient transport",
     "hasta nakil nakli ambulans yatalak hastane randevu diyaliz taşıma sedye",
     1, 3, CD, "high", NULL},
    {"SAG_EVDE_SAGLIK", "SAGLIK", "Evde sağlık hizmeti", "Home health care",
     "evde sağlık hemşire pansuman evde bakım tansiyon iğne yatalak doktor ziyaret",
     2, 10, WD, "normal", NULL},
    {"SAG_TARAMA", "SAGLIK", "Sağlık taraması ve danışmanlık", "Health screening and counselling",
     "sağlık taraması tarama check up danışmanlık diyetisyen psikolog kanser şeker",
     5, 20, WD, "low", NULL},

    /* Su ve Kanalizasyon İdaresi */
    {"SU_ARIZA", "SU", "Su arızası / patlak boru", "Water fault / burst pipe",
     "su arızası patlak boru patladı su akıyor sızıntı vana ana boru yola su",
     1, 1, CD, "high", NULL},
    {"SU_KESINTI", "SU", "Su kesintisi", "Water outage",
     "su kesintisi su yok su gelmiyor akmıyor kesildi basınç düşük susuz",
     1, 1, CD, "high", NULL},
    {"SU_KANAL", "SU", "Kanalizasyon tıkanıklığı / taşma", "Sewer blockage / overflow",
     "kanalizasyon tıkanıklık tıkandı taşma taştı lağım koku rögar foseptik pis su",
     1, 2, CD, "high", NULL},
    {"SU_YAGMUR", "SU", "Yağmur suyu ızgarası / su baskını", "Storm drain / flooding",
     "yağmur suyu ızgara mazgal tıkalı su baskını sel su birikintisi göllenme bodrum",
     1, 3, CD, "high", NULL},
    {"SU_FATURA", "SU", "Su faturası ve sayaç", "Water bill and meter",
     "su faturası fatura sayaç endeks fazla geldi yüksek okuma hatalı sayaç arızası",
     3, 15, WD, "normal", NULL},
    {"SU_KALITE", "SU", "Su kalitesi (bulanık, kokulu su)", "Water quality (cloudy, smelly water)",
     "su kalitesi bulanık kokulu renkli çamurlu kireç içme suyu klor tadı",
     1, 3, CD, "high", NULL},
    {"SU_ABONE", "SU", "Abonelik işlemleri", "Water subscription",
     "abonelik abone kaydı yeni abone sözleşme iptal taşınma sayaç takma depozito",
     3, 10, WD, "low", NULL},

    /* İtfaiye */
    {"ITF_KURTARMA", "ITFAIYE", "Kurtarma (mahsur kalan kişi veya hayvan)",
     "Rescue (trapped person or animal)",
     "kurtarma mahsur kaldı kedi ağaçta asansörde kaldı kuyuya düştü kapı kilitli sıkıştı",
     1, 1, CD, "urgent", NULL},
    {"ITF_BACA", "ITFAIYE", "Baca temizliği ve baca yangını riski",
     "Chimney sweeping and chimney fire risk",
     "baca temizliği baca yangını is kurum soba tutuştu tıkalı baca",
     2, 10, WD, "high", NULL},
    {"ITF_DENETIM", "ITFAIYE", "Yangın güvenliği denetimi ve raporu",
     "Fire safety inspection and report",
     "yangın güvenliği denetim rapor itfaiye raporu uygunluk belgesi yangın tüpü acil çıkış",
     5, 30, WD, "normal", NULL},
    {"ITF_EGITIM", "ITFAIYE", "Yangın eğitimi ve tatbikat talebi",
     "Fire training and drill request",
     "yangın eğitimi tatbikat okul tatbikatı söndürme eğitimi afet eğitimi",
     5, 30, WD, "low", NULL},

    /* Mezarlıklar ve Cenaze Hizmetleri */
    {"MEZ_CENAZE_NAKIL", "MEZARLIK", "Cenaze nakil aracı", "Hearse / funeral transport",
     "cenaze nakil aracı cenaze arabası vefat ölüm şehirlerarası nakil morg",
     1, 1, CD, "urgent", NULL},
    {"MEZ_DEFIN", "MEZARLIK", "Defin ve mezar yeri işlemleri", "Burial and grave plots",
     "defin gömme mezar yeri mezar kazma kabristan aile mezarlığı ölüm belgesi",
     1, 1, CD, "high", NULL},
    {"MEZ_BAKIM", "MEZARLIK", "Mezarlık bakımı ve temizliği", "Cemetery upkeep and cleaning",
     "mezarlık bakımı temizliği ot mezar taşı çeşme mezarlık yolu duvar",
     3, 15, WD, "low", NULL},
    {"MEZ_TAZIYE", "MEZARLIK", "Taziye çadırı ve yemek hizmeti",
     "Condolence tent and meal service",
     "taziye çadırı yemek hizmeti lokma helva mevlit taziye evi sandalye",
     1, 1, CD, "normal", NULL},

    /* Veteriner İşleri */
    {"VET_SAHIPSIZ", "VETERINER", "Sahipsiz / saldırgan sokak hayvanları",
     "Stray / aggressive animals",
     "sahipsiz köpek sokak köpeği köpekler başıboş saldırgan ısırdı sürü kovaladı kedi",
     1, 5, WD, "high", NULL},
    {"VET_YARALI", "VETERINER", "Yaralı veya hasta hayvan", "Injured or sick animal",
     "yaralı hasta hayvan köpek kedi ezilmiş araba çarptı yaralı kuş topallıyor",
     1, 1, CD, "high", NULL},
    {"VET_OLU_HAYVAN", "VETERINER", "Ölü hayvan kaldırılması", "Dead animal removal",
     "ölü hayvan leş ölü köpek ölü kedi hayvan cesedi kaldırılması kokuyor",
     1, 1, CD, "normal", NULL},
    {"VET_KISIRLASTIRMA", "VETERINER", "Kısırlaştırma ve aşılama", "Neutering and vaccination",
     "kısırlaştırma aşılama aşı kuduz küpe çip sahiplendirme barınak",
     3, 15, WD, "low", NULL},

    /* Kültür, Sosyal İşler, Gençlik ve Spor */
    {"KUL_KUTUPHANE", "KULTUR", "Kütüphane hizmetleri", "Library services",
     "kütüphane kitap üyelik ödünç çalışma salonu okuma salonu",
     3, 10, WD, "low", NULL},
    {"KUL_SPOR", "KULTUR", "Spor tesisleri ve kurslar", "Sports facilities and courses",
     "spor tesisi havuz yüzme spor salonu halı saha futbol basketbol spor kursu kayıt",
     3, 10, WD, "low", NULL},
    {"KUL_ETKINLIK", "KULTUR", "Kültürel etkinlik, konser, tiyatro",
     "Cultural events, concerts, theatre",
     "etkinlik konser tiyatro sergi festival bilet gösteri sinema",
     3, 10, WD, "low", NULL},
    {"KUL_KURS", "KULTUR", "Meslek ve hobi kursları", "Vocational and hobby courses",
     "kurs kursu meslek edindirme hobi el sanatları dil kursu kayıt sertifika",
     3, 10, WD, "low", NULL},
    {"KUL_REZERVASYON", "KULTUR", "Salon, nikah ve tesis rezervasyonu",
     "Hall, wedding and facility booking",
     "rezervasyon salon kiralama nikah salonu nikah düğün salonu tesis randevu",
     2, 7, WD, "low", NULL},

    /* İmar ve Şehircilik */
    {"IMAR_KACAK", "IMAR", "Kaçak yapı", "Illegal construction",
     "kaçak yapı ruhsatsız inşaat izinsiz kat kaçak kat çıkma gecekondu",
     3, 30, WD, "normal", NULL},
    {"IMAR_RUHSAT", "IMAR", "Yapı ruhsatı ve iskan", "Building permit and occupancy",
     "yapı ruhsatı inşaat ruhsatı iskan oturma izni proje onay",
     3, 20, WD, "low", NULL},
    {"IMAR_PLAN", "IMAR", "İmar durumu ve plan bilgisi", "Zoning status and plan information",
     "imar durumu plan bilgisi imar planı parsel ada kat sayısı emsal",
     3, 15, WD, "low", NULL},
    {"IMAR_NUMARATAJ", "IMAR", "Numarataj (kapı numarası, sokak adı)",
     "Address numbering (door numbers, street names)",
     "numarataj kapı numarası sokak adı adres tabelası sokak tabelası adres kaydı",
     3, 15, WD, "low", NULL},
    {"IMAR_RISKLI", "IMAR", "Riskli / tehlikeli yapı", "Unsafe / dangerous building",
     "riskli yapı tehlikeli bina çatlak yıkılacak hasarlı bina deprem kentsel dönüşüm",
     1, 15, WD, "urgent", NULL},

    /* Yetki dışı: redirected at once */
    {"DIS_ELEKTRIK", "DIS",
     "Elektrik kesintisi ve sokak aydınlatması (elektrik dağıtım şirketi)",
     "Power cut and street lighting (electricity distribution company)",
     "elektrik kesintisi elektrik yok sokak lambası aydınlatma yanmıyor direk trafo kablo",
     1, 1, CD, "normal",
     "Elektrik dağıtım şirketi — Kayseri'de Kayseri ve Civarı Elektrik T.A.Ş. (KCETAŞ), "
     "arıza hattı 186"},
    {"DIS_DOGALGAZ", "DIS", "Doğalgaz (dağıtım şirketi, 187)",
     "Natural gas (distribution company, 187)",
     "doğalgaz gaz kokusu gaz kaçağı kombi gaz kesintisi gaz sayacı",
     1, 1, CD, "urgent",
     "Doğalgaz dağıtım şirketi — Kayseri'de Kayserigaz, doğalgaz acil 187"},
    {"DIS_POLIS", "DIS", "Asayiş ve trafik kazası (polis 155 / jandarma 156)",
     "Public order and traffic accidents (police 155 / gendarmerie 156)",
     "polis hırsızlık kavga trafik kazası kaza asayiş jandarma darp taciz",
     1, 1, CD, "high",
     "Polis İmdat 155 / Jandarma 156 — bugün 112 Acil Çağrı Merkezi üzerinden"},
    {"DIS_ACIL", "DIS", "Acil sağlık (112)", "Medical emergency (112)",
     "acil ambulans bayıldı kalp krizi nefes alamıyor acil sağlık yaralandı",
     1, 1, CD, "urgent", "112 Acil Çağrı Merkezi"},
    {"DIS_EGITIM", "DIS", "Okullar (İl Milli Eğitim Müdürlüğü)",
     "Schools (Provincial Directorate of National Education)",
     "okul öğretmen okul müdürü servis kayıt sınıf meb milli eğitim",
     1, 1, CD, "normal",
     "İl Milli Eğitim Müdürlüğü (MEB İletişim Merkezi ALO 147)"},
    {"DIS_DIGER", "DIS", "Diğer kamu kurumları (SGK, nüfus, tapu, karayolları)",
     "Other public bodies (social security, civil registry, land registry, highways)",
     "sgk emekli maaş sigorta nüfus kimlik tapu karayolları devlet yolu otoyol vergi",
     1, 1, CD, "normal",
     "İlgili kamu kurumu: SGK (ALO 170), İl Nüfus ve Vatandaşlık Müdürlüğü, Tapu ve "
     "Kadastro (ALO 181), Karayolları 6. Bölge Müdürlüğü (devlet yolları); diğerleri için "
     "CİMER"},
};
/* clang-format on */

#undef WD
#undef CD

const size_t ref_categories_len = sizeof(ref_categories) / sizeof(ref_categories[0]);

const struct ref_category *ref_category_find(const char *code)
{
    if (!code)
        return NULL;
    for (size_t i = 0; i < ref_categories_len; i++)
        if (strcmp(ref_categories[i].code, code) == 0)
            return &ref_categories[i];
    return NULL;
}

const struct ref_department *ref_department_find(const char *code)
{
    if (!code)
        return NULL;
    for (size_t i = 0; i < ref_departments_len; i++)
        if (strcmp(ref_departments[i].code, code) == 0)
            return &ref_departments[i];
    return NULL;
}
