// Show the development mailbox link only where /dev/mail exists (never in production).
fetch("/dev/mail.json", { headers: { Accept: "application/json" } })
  .then(function (response) {
    if (response.ok) {
      document.getElementById("dev-mail-link").hidden = false;
    }
  })
  .catch(function () {});
