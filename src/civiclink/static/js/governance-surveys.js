// Paper entry: after a one-character answer, move to the next question, so that a clerk types digits only.
// Without this script Tab does the same; Enter submits the form either way.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.paper-form[data-advance]");
  if (!form) return;
  const inputs = Array.from(form.querySelectorAll(".paper-item input"));
  inputs.forEach((input, index) => {
    input.addEventListener("input", () => {
      if (/^[0-9?]$/.test(input.value) && index + 1 < inputs.length) {
        inputs[index + 1].focus();
        inputs[index + 1].select();
      }
    });
  });
});
