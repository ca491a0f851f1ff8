import { UsersAdmin } from "@/components/admin/users-admin";

export const metadata = { title: "Users & organizations" };

export default function AdminUsersPage() {
  return <UsersAdmin />;
}
