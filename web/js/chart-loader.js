// Chart.js from /vendor/, loaded once on demand (the dashboard and the Reports page share it).
let chartPromise = null;
export function loadChart() {
    if (window.Chart) return Promise.resolve(window.Chart);
    if (!chartPromise) {
        chartPromise = new Promise((resolve, reject) => {
            const s = document.createElement('script');
            s.src = '/vendor/chart.umd.js';
            s.onload = () => resolve(window.Chart);
            s.onerror = () => { chartPromise = null; reject(new Error('chart.js')); };
            document.head.appendChild(s);
        });
    }
    return chartPromise;
}
