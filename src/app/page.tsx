import Link from "next/link";

export default function LandingPage() {
  return (
    <main style={{ maxWidth: 640, margin: "10vh auto", padding: "0 1.5rem", lineHeight: 1.6 }}>
      <h1>Taskforge</h1>
      <p>Your tasks, behind authentication done right: verified email, argon2id passwords, revocable sessions.</p>
      <p>
        <Link href="/sign-up">Create an account</Link> · <Link href="/sign-in">Sign in</Link>
      </p>
    </main>
  );
}
