// The fields rows leave the database with, wherever they are read: what procedures return is chosen here, never by
// returning a whole row (which would carry whatever columns are added later).
import type { Prisma } from "@/generated/prisma/client";

export const profileSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  emailVerified: true,
  twoFactorEnabled: true,
  createdAt: true,
} satisfies Prisma.UserSelect;

export const adminUserSelect = {
  ...profileSelect,
  banned: true,
  banReason: true,
  banExpires: true,
} satisfies Prisma.UserSelect;

export const taskSelect = {
  id: true,
  title: true,
  description: true,
  completed: true,
  priority: true,
  dueAt: true,
  createdAt: true,
  updatedAt: true,
  version: true,
} satisfies Prisma.TaskSelect;

/** A session as its owner sees it: no token. */
export const sessionSelect = {
  id: true,
  ipAddress: true,
  userAgent: true,
  createdAt: true,
  updatedAt: true,
  expiresAt: true,
} satisfies Prisma.SessionSelect;
