export default function Home() {
  return <p>Starter baseline for the benchmark.</p>;
}
