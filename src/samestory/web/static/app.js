// Small progressive enhancement: claim filters without a page load. Reading works without it.
document.addEventListener("DOMContentLoaded", () => {
  const links = document.querySelectorAll(".filters a.filter");
  links.forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const wanted = link.dataset.status;
      document.querySelectorAll("tr.claim").forEach((row) => {
        row.classList.toggle("hidden", wanted !== "" && row.dataset.status !== wanted);
      });
      links.forEach((l) => l.classList.toggle("on", l === link));
      history.replaceState(null, "", wanted ? "?status=" + encodeURIComponent(wanted) : "?");
    });
  });
});
