// A GET /api/v1/reports/summary answer written to the contract (docs/REPORTS.md), for the
// states the demo database cannot show: survey answers, a previous year to compare with, an
// empty period. b6-reports.test.mjs serves it with Playwright's page.route.
const MONTHS_TR = ['Ocak', 'Şubat', 'Mart', 'Nisan', 'Mayıs', 'Haziran', 'Temmuz', 'Ağustos', 'Eylül', 'Ekim', 'Kasım', 'Aralık'];

const col = (key, title, type = 'int') => ({ key, title, type });
const row = (key, label, values) => ({ key, label, values });

/** The summary of from..to; opts: satisfaction ({answers, satisfied_share} or null),
 *  previous (true: a year to compare with), empty (true: nothing happened), manager (true:
 *  calls and contacts null, as a department manager gets). */
export function fixtureSummary({ from = '2025-01-01', to = '2025-12-31', satisfaction = null, previous = false, empty = false, manager = false } = {}) {
    const k = empty ? 0 : 1;
    const y = Number(from.slice(0, 4));
    const months = [];
    for (let m = Number(from.slice(5, 7)); m <= (to.slice(0, 4) === from.slice(0, 4) ? Number(to.slice(5, 7)) : 12); m++) months.push(m);
    const calls = manager ? null : {
        offered: 104210 * k, answered: 97918 * k, abandoned: 6292 * k, short_abandoned: 812 * k,
        answer_rate: empty ? null : 0.9396, service_level: empty ? null : 0.81, asa_s: empty ? null : 12.5, aht_s: empty ? null : 180.2, max_wait_s: 600 * k,
    };
    const contacts = manager ? null : {
        total: 97918 * k,
        by_outcome: { instant_info: 56801 * k, application: 30512 * k, followup: 4210 * k, not_relevant: 3890 * k, transferred_out: 2205 * k, open: 300 * k },
        by_channel: { phone_153: 90210 * k, walk_in: 7708 * k },
        instant_info_share: empty ? null : 0.5801,
    };
    const districts = ['Melikgazi', 'Kocasinan', 'Talas', 'Hacılar', 'İncesu', 'Develi', 'Yahyalı', 'Bünyan', 'Tomarza', 'Pınarbaşı',
        'Yeşilhisar', 'Sarıoğlan', 'Sarız', 'Felahiye', 'Akkışla', 'Özvatan'];
    const depts = [['FEN', 'Fen İşleri Dairesi Başkanlığı', 9120], ['ZABITA', 'Zabıta Dairesi Başkanlığı', 6210], ['TEMIZLIK', 'Temizlik İşleri Dairesi Başkanlığı', 5830],
        ['ULASIM', 'Ulaşım Planlama Dairesi Başkanlığı', 4410], ['PARK', 'Park ve Bahçeler Dairesi Başkanlığı', 2950], ['KASKI', 'Su ve Kanalizasyon İdaresi', 2012]];
    const cats = Array.from({ length: 20 }, (_, i) => row(`CAT_${i + 1}`, ['Yol çukuru', 'Çöp toplanmadı', 'Sokak lambası', 'Kaldırım işgali', 'Otobüs gecikmesi',
        'Su kesintisi', 'Park bakımı', 'Başıboş köpek', 'Gürültü', 'Kanalizasyon taşması', 'Ağaç budama', 'Kar temizliği', 'Trafik ışığı', 'Seyyar satıcı',
        'Moloz dökümü', 'Su faturası', 'Durak ihtiyacı', 'Asfalt', 'Yağmur suyu', 'Halk ekmek'][i], [(2400 - i * 110) * k, (2200 - i * 100) * k, empty ? null : 0.95 - i * 0.01]));
    const total = 30512 * k;
    const tables = [
        {
            name: 'by_month', title: 'Aylara göre', key: { key: 'month', title: 'Ay' },
            columns: [col('calls_offered', 'Gelen çağrı'), col('calls_answered', 'Cevaplanan çağrı'), col('answer_rate', 'Cevaplama oranı', 'pct'),
                col('instant_info', 'Anında bilgi'), col('applications', 'Başvuru')],
            rows: empty ? [] : months.map((m) => row(`${y}-${String(m).padStart(2, '0')}`, `${MONTHS_TR[m - 1]} ${y}`,
                manager ? [null, null, null, null, 2400 + m * 30] : [8000 + m * 200, 7500 + m * 190, (7500 + m * 190) / (8000 + m * 200), 4700 + m * 100, 2400 + m * 30])),
        },
        { name: 'contacts_by_outcome', title: 'Görüşmelerin sonucu', key: { key: 'outcome', title: 'Sonuç' }, columns: [col('contacts', 'Görüşme')],
            rows: manager || empty ? [] : [row('instant_info', 'Anında bilgi verildi', [56801]), row('application', 'Başvuru açıldı', [30512]), row('followup', 'Takip', [4210]),
                row('not_relevant', 'İlgisiz', [3890]), row('transferred_out', 'Başka kuruma aktarıldı', [2205]), row('open', 'Açık', [300])] },
        { name: 'by_channel', title: 'Kanala göre başvurular', key: { key: 'channel', title: 'Kanal' }, columns: [col('applications', 'Başvuru')],
            rows: empty ? [] : [row('phone_153', 'ALO 153', [21000]), row('web', 'İnternet', [5100]), row('walk_in', 'Beyaz Masa', [3012]), row('cimer', 'CİMER', [1400])] },
        { name: 'by_department', title: 'Birimlere göre', key: { key: 'department', title: 'Birim' },
            columns: [col('applications', 'Başvuru'), col('resolved', 'Sonuçlanan'), col('in_deadline_share', 'Süresinde', 'pct'), col('overdue_now', 'Süresi geçmiş'),
                col('median_wd', 'Medyan (iş günü)', 'days'), col('p90_wd', '%90 (iş günü)', 'days')],
            rows: empty ? [] : depts.map(([c, n, a], i) => row(c, n, [a, a - 300, 0.97 - i * 0.04, 12 + i, 2 + i * 0.5, 6 + i]) ) },
        { name: 'by_category', title: 'En çok başvurulan 20 konu', key: { key: 'category', title: 'Konu' },
            columns: [col('applications', 'Başvuru'), col('resolved', 'Sonuçlanan'), col('in_deadline_share', 'Süresinde', 'pct')], rows: empty ? [] : cats },
        { name: 'by_district', title: 'İlçelere göre', key: { key: 'district', title: 'İlçe' }, columns: [col('applications', 'Başvuru'), col('population', 'Nüfus'), col('per_10k', '10 bin kişi başına', 'num')],
            rows: empty ? [] : districts.map((d, i) => row(String(i + 1), d, [Math.round(9000 / (i + 1)), i < 4 ? 100000 * (i + 1) : null, i < 4 ? Math.round((Math.round(9000 / (i + 1)) * 10000 / (100000 * (i + 1))) * 100) / 100 : null])) },
        { name: 'by_neighbourhood', title: 'Mahallelere göre', key: { key: 'neighbourhood', title: 'Mahalle' }, columns: [col('applications', 'Başvuru')],
            rows: empty ? [] : Array.from({ length: 45 }, (_, i) => row(String(100 + i), `${districts[i % 4]} / Mahalle ${i + 1}`, [500 - i * 10])) },
        { name: 'sla_by_department', title: 'Birimlere göre süresinde sonuçlanma', key: { key: 'department', title: 'Birim' },
            columns: [col('resolved', 'Sonuçlanan'), col('in_deadline', 'Süresinde'), col('in_deadline_share', 'Süresinde oranı', 'pct')],
            rows: empty ? [] : depts.map(([c, n, a], i) => row(c, n, [a - 300, Math.round((a - 300) * (0.97 - i * 0.04)), 0.97 - i * 0.04])) },
    ];
    return {
        period: { from, to },
        scope: { department: manager ? 'FEN' : null },
        calls,
        contacts,
        applications: {
            total, resolved: 28001 * k, resolved_in_deadline: 25201 * k, in_deadline_share: empty ? null : 0.9, open_now: 2511 * k, overdue_now: 402 * k,
            returned: 310 * k, transferred: 920 * k, reopened: 88 * k, resolution_wd: { median: empty ? null : 3.0, p90: empty ? null : 11.0 },
        },
        satisfaction,
        previous: previous ? {
            period: { from: `${y - 1}${from.slice(4)}`, to: `${Number(to.slice(0, 4)) - 1}${to.slice(4)}` },
            calls: { offered: 99000, answered: 90100, abandoned: 8900, short_abandoned: 900, answer_rate: 0.9101, service_level: 0.75, asa_s: 15.1, aht_s: 175.0, max_wait_s: 720 },
            applications: 28010, instant_info: 50020, forwarded: 31000,
        } : null,
        tables,
    };
}
