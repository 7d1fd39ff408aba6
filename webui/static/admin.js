// Admin page: poll the reindex job while it runs and show its progress.
"use strict";

(function reindexProgress() {
  const job = document.getElementById("job");
  if (!job) return;
  const bar = document.getElementById("job-progress");
  const text = document.getElementById("job-text");
  const failed = document.getElementById("job-failed");

  function show(status) {
    job.dataset.state = status.state;
    if (status.total) {
      bar.max = status.total;
      bar.value = status.done;
    }
    if (status.state === "running") {
      text.textContent = `${job.dataset.running} ${status.done}/${status.total} ${status.current || ""}`;
    } else if (status.state === "done") {
      bar.max = 1;
      bar.value = 1;
      const counts = job.dataset.counts.replace(/\{(\w+)\}/g, (_, key) => status.counts[key]);
      text.textContent = `${job.dataset.done}: ${counts}`;
      failed.replaceChildren(...(status.failed || []).map(([source, reason]) => {
        const li = document.createElement("li");
        li.textContent = `${source}: ${reason}`;
        return li;
      }));
    } else if (status.state === "failed") {
      text.textContent = `${job.dataset.failed}: ${status.message || ""}`;
    }
  }

  async function poll() {
    try {
      const response = await fetch(job.dataset.statusUrl, { credentials: "same-origin" });
      if (!response.ok) return;
      const status = await response.json();
      show(status);
      if (status.state === "running") setTimeout(poll, 400);
    } catch (err) {
      setTimeout(poll, 2000);
    }
  }

  if (job.dataset.state === "running") poll();
})();
