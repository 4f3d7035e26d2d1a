// "看不清，换一张": a new picture code without sending the form (django-simple-captcha's
// refresh view). Without JavaScript the button stays hidden; a wrong answer brings a new
// picture anyway.
document.querySelectorAll(".captcha-refresh").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    var box = button.closest(".captcha-challenge");
    fetch(button.dataset.refreshUrl, { headers: { "X-Requested-With": "XMLHttpRequest" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        box.querySelector("img.captcha").src = data.image_url;
        box.querySelector("input[type=hidden]").value = data.key;
        var answer = box.querySelector("input[type=text]");
        answer.value = "";
        answer.focus();
      });
  });
});
