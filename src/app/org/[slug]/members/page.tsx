import type { Metadata } from "next";
import { MembersPanel } from "@/components/organizations/members-panel";
import { requireUser } from "@/trpc/server";

export const metadata: Metadata = { title: "Members" };

type Props = { params: Promise<{ slug: string }> };

export default async function MembersPage({ params }: Props) {
  const { slug } = await params;
  const viewer = await requireUser(`/org/${encodeURIComponent(slug)}/members`);
  return (
    <main id="main" className="mx-auto max-w-3xl px-4 py-8">
      <MembersPanel slug={slug} viewerId={viewer.id} />
    </main>
  );
}
