// A background job's section (core/templates/core/job.html) while the job is queued or running:
// every few seconds this page is fetched again and the section updated in place (its role
// "status" lets a screen reader hear the progress); once the job is done the page reloads to
// show the result. No inline script and no page-wide refresh: the CSP and WCAG 2.2.1 both hold.
(() => {
  const section = document.querySelector("section.bw-job[data-job-refresh]");
  if (!section) return;
  const every = (Number(section.dataset.jobRefresh) || 5) * 1000;
  const active = (element) => ["queued", "running"].includes(element?.dataset.jobStatus);

  const poll = async () => {
    try {
      const response = await fetch(window.location.href, { credentials: "same-origin" });
      if (response.ok) {
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = page.querySelector("section.bw-job");
        if (!active(fresh)) {
          window.location.reload();
          return;
        }
        section.innerHTML = fresh.innerHTML;
        section.dataset.jobStatus = fresh.dataset.jobStatus;
      }
    } catch {
      // The network failed for a moment: try again at the next turn.
    }
    window.setTimeout(poll, every);
  };
  window.setTimeout(poll, every);
})();
