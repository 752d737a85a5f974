// On every page (the build adds this script to each): registers the service worker (sw.js),
// and when a newer build of the site has been installed in the background, offers it with
// a banner — "A new version is ready — reload". Nothing changes until the reader accepts.

const SW_URL = new URL("./sw.js", import.meta.url);

/** Shows the banner once; `accept` hands over to the new version. */
function offer(accept) {
  if (document.getElementById("update-banner")) return;
  const banner = document.createElement("div");
  banner.id = "update-banner";
  banner.className = "update-banner";
  banner.setAttribute("role", "status");
  const text = document.createElement("p");
  text.textContent = "A new version is ready — reload to use it.";
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Reload";
  button.addEventListener("click", () => {
    button.disabled = true;
    button.textContent = "Reloading…";
    accept();
  });
  banner.append(text, button);
  document.body.append(banner);
}

async function watch() {
  const registration = await navigator.serviceWorker.register(SW_URL, { scope: "./" });
  let accepted = false;
  const offerWorker = (worker) =>
    offer(() => {
      accepted = true;
      worker.postMessage("skip-waiting");
    });
  // The first install takes over without a reload; only an accepted update reloads.
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (accepted) location.reload();
  });
  // A worker of a newer build, installed (waiting) or installing: offered once installed,
  // unless it is the first worker of this site (nothing to replace).
  const track = (worker) => {
    if (!worker) return;
    const check = () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) offerWorker(worker);
    };
    check();
    worker.addEventListener("statechange", check);
  };
  track(registration.waiting);
  track(registration.installing);
  registration.addEventListener("updatefound", () => track(registration.installing));
  // A tab left open also hears of a new build when the reader comes back to it.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") registration.update().catch(() => {});
  });
}

if ("serviceWorker" in navigator) watch().catch(() => {});
