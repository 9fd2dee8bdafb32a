// User text in the account mails: the name in the greeting stays inside its line and never reads as a link, so a
// name chosen by whoever signed up with someone's address cannot write paragraphs or links into our mail.
import { describe, expect, it } from "vitest";
import { greeting, messages } from "@/server/email/messages";

const URL_OF_OURS = "http://localhost:3000/reset-password?token=abc";
const INJECTED = "Carol.\n\nSECURITY ALERT: your account was compromised. Secure it now at https://evil.example/x";

const mailsFor = (name: string) => [
  messages.verifyEmail("carol@example.com", name, URL_OF_OURS),
  messages.resetPassword("carol@example.com", name, URL_OF_OURS),
  messages.existingAccount("carol@example.com", name, "http://localhost:3000/sign-in", URL_OF_OURS),
];

const paragraphs = (text: string) => text.split(/\n\s*\n/).length;
const links = (text: string) => text.match(/https?:\/\/[^\s"<]+|www\.\S+|\b[\w-]+\.example\b/g) ?? [];

describe("the name in a mail", () => {
  it("cannot add a paragraph, a line or a link to any mail", () => {
    const plain = mailsFor("Carol");
    mailsFor(INJECTED).forEach((mail, i) => {
      const reference = plain[i];
      expect(paragraphs(mail.text)).toBe(paragraphs(reference?.text ?? ""));
      expect(mail.text.split("\n").length).toBe(reference?.text.split("\n").length);
      expect(links(mail.text)).toEqual(links(reference?.text ?? ""));
      expect(links(mail.html)).toEqual(links(reference?.html ?? ""));
      expect(`${mail.text}${mail.html}`).not.toMatch(/evil|SECURITY ALERT/);
    });
  });

  it("is kept on the greeting line when it is a plain name, whatever breaks and controls it holds", () => {
    expect(greeting("Carol\n\nSECURITY ALERT")).toBe("Hello Carol SECURITY ALERT,");
    expect(greeting(" Ada\r\n\tLovelace\u2028\u2029 ")).toBe("Hello Ada Lovelace,");
    expect(greeting("Eve\u202Egnp.exe")).toBe("Hello,");
    expect(greeting("Bob\u202E\u2066 Smith\u0085")).toBe("Hello Bob Smith,");
    expect(greeting("Zoë Ñúñez-O'Brien")).toBe("Hello Zoë Ñúñez-O'Brien,");
    expect(greeting("J. R. R. Tolkien")).toBe("Hello J. R. R. Tolkien,");
  });

  it("is left out when it reads like a link or an address", () => {
    for (const name of [
      "https://evil.example/x",
      "evil.example",
      "www.evil",
      "mallory@evil.example",
      "a/b",
      "<b>Bob</b>",
    ]) {
      expect(greeting(name)).toBe("Hello,");
    }
    expect(greeting("\n\n")).toBe("Hello,");
  });

  it("is bounded and escaped in HTML", () => {
    expect(greeting("x".repeat(100))).toBe(`Hello ${"x".repeat(60)},`);
    const [mail] = mailsFor('Tom & "Jerry"');
    expect(mail?.html).toContain("<p>Hello Tom &#38; &#34;Jerry&#34;,</p>");
  });
});
