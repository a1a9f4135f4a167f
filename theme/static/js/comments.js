// Reader comments: the form under an article sends a comment to the site's comment
// server (Isso), which holds it until an editor approves it; `invoke comments-pull`
// then writes approved comments into content/comments/ and the next build shows them.
//
// The form (theme/templates/partials/comment_form.html) is hidden until this script
// takes it over, so without JavaScript readers see only how to send a comment by
// email. The server's address is the form's data-comments-api (SITE_COMMENTS_API);
// the site's Content-Security-Policy allows it in connect-src and nothing else.

const TIMEOUT_MS = 20000;
const THANKS = "Thank you: your comment will appear after an editor approves it.";

const form = document.querySelector("form.comment-form[data-comments-api]");
if (form) takeOver(form);

function takeOver(form) {
  const api = new URL(form.dataset.commentsApi, document.baseURI);
  const status = form.querySelector(".comment-form-status");
  const button = form.querySelector("button[type=submit]");
  const text = form.elements.namedItem("text");
  const parent = form.elements.namedItem("parent");
  form.hidden = false;

  if (parent) {
    for (const reply of document.querySelectorAll("button[data-reply-to]")) {
      reply.hidden = false;
      reply.addEventListener("click", () => {
        parent.value = reply.dataset.replyTo;
        text.focus();
        say(status, "");
      });
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    const comment = {
      author: field(form, "author"),
      email: field(form, "email"),
      website: field(form, "website"),
      text: form.elements.namedItem("text").value.trim(),
      parent: parent && parent.value ? Number(parent.value) : null,
      title: form.dataset.title,
    };
    if (comment.text.length < 3) {
      say(status, "Please write a comment of at least three characters.", true);
      text.focus();
      return;
    }
    const address = new URL("new", api);
    address.searchParams.set("uri", form.dataset.uri);
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    say(status, "Sending your comment…");
    const timer = new AbortController();
    const stop = setTimeout(() => timer.abort(), TIMEOUT_MS);
    try {
      const response = await fetch(address, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(comment),
        credentials: "omit",
        signal: timer.signal,
      });
      if (response.status === 201 || response.status === 202) {
        form.reset();
        say(status, THANKS);
      } else {
        say(status, await refusal(response), true);
      }
    } catch {
      say(
        status,
        "Your comment could not be sent: the comment server did not answer. " +
          "Please try again later, or send it by email (below).",
        true,
      );
    } finally {
      clearTimeout(stop);
      button.disabled = false;
      form.removeAttribute("aria-busy");
    }
  });
}

// A field's trimmed value, or null when it is empty (the server stores null).
function field(form, name) {
  const value = form.elements.namedItem(name).value.trim();
  return value === "" ? null : value;
}

// Put a message in the form's live region, where screen readers announce it.
function say(status, message, isError = false) {
  status.textContent = message;
  status.classList.toggle("is-error", isError);
}

// What to tell the reader when the server refused the comment.
async function refusal(response) {
  let reason = "";
  try {
    const answer = await response.json();
    reason = answer && typeof answer.message === "string" ? answer.message : "";
  } catch {
    reason = "";
  }
  const retry = " Your text is still in the form.";
  if (response.status === 413) return "Your comment is too long to send; please shorten it." + retry;
  if (response.status === 429 || /ratelimit|direct responses/i.test(reason)) {
    return "You have sent several comments in a short time; please wait a few minutes." + retry;
  }
  if (response.status === 400) {
    return `The comment server could not accept this comment${reason ? ` (${reason})` : ""}.` + retry;
  }
  return `Your comment could not be sent (the server answered ${response.status}). Please try again later, or send it by email (below).${retry}`;
}
