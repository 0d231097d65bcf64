import type { Role, User } from "@kon/protocol";
import { useEffect, useState } from "preact/hooks";
import { app } from "../../app-instance.ts";
import { messageOf } from "../../api/errors.ts";
import { ErrorNote } from "../../components/error-note.tsx";

function NewUserForm({ onCreated }: { onCreated(): void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("user");
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      await app.api.createUser({ username: username.trim(), password, role });
      setUsername("");
      setPassword("");
      setRole("user");
      onCreated();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <form class="card form-grid" aria-label="New user" onSubmit={submit}>
      <h2>New user</h2>
      <label>
        Username
        <input value={username} autocomplete="off" required onInput={(e) => setUsername(e.currentTarget.value)} />
      </label>
      <label>
        Password
        <input type="password" value={password} autocomplete="new-password" required minLength={8} onInput={(e) => setPassword(e.currentTarget.value)} />
      </label>
      <label>
        Role
        <select value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
          <option value="user">user</option>
          <option value="admin">admin</option>
        </select>
      </label>
      <ErrorNote message={error} />
      <div class="form-actions">
        <button type="submit" class="primary">
          Create user
        </button>
      </div>
    </form>
  );
}

function UserRow({ user, isSelf, onChanged }: { user: User; isSelf: boolean; onChanged(): void }) {
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [settingPassword, setSettingPassword] = useState(false);
  const [password, setPassword] = useState("");
  const update = async (body: Parameters<typeof app.api.updateUser>[1], done?: string) => {
    setError(null);
    setNote(null);
    try {
      await app.api.updateUser(user.id, body);
      if (done) setNote(done);
      onChanged();
      return true;
    } catch (err) {
      setError(messageOf(err));
      return false;
    }
  };
  return (
    <li class="card user-row">
      <div class="user-main">
        <strong>{user.username}</strong>
        {isSelf && <span class="muted"> (you)</span>}
        {user.disabled && <span class="pill kontask-failed">disabled</span>}
      </div>
      <div class="row-actions">
        <label class="inline-label">
          Role
          <select value={user.role} onChange={(e) => void update({ role: e.currentTarget.value as Role })}>
            <option value="user">user</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <button type="button" class="quiet" onClick={() => void update({ disabled: !user.disabled })}>
          {user.disabled ? "Enable" : "Disable"}
        </button>
        <button type="button" class="quiet" onClick={() => setSettingPassword(!settingPassword)}>
          Set password
        </button>
      </div>
      {settingPassword && (
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void update({ password }, `New password set for ${user.username}; their other logins have ended.`).then((ok) => {
              if (ok) {
                setPassword("");
                setSettingPassword(false);
              }
            });
          }}
        >
          <label>
            New password for {user.username}
            <input type="password" autocomplete="new-password" minLength={8} required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          </label>
          <button type="submit" class="primary">
            Save password
          </button>
        </form>
      )}
      {note && <p role="status">{note}</p>}
      <ErrorNote message={error} />
    </li>
  );
}

export default function UsersPage() {
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const me = app.store.get().user;
  const load = () => app.api.users().then((l) => setUsers(l.users), (err: unknown) => setError(messageOf(err)));
  useEffect(() => {
    document.title = "Users · kon";
    void load();
  }, []);
  return (
    <section class="page">
      <h1>Users</h1>
      <NewUserForm onCreated={() => void load()} />
      <ErrorNote message={error} />
      {users && (
        <ul class="user-list" aria-label="Users">
          {users.map((u) => (
            <UserRow key={u.id} user={u} isSelf={u.id === me?.id} onChanged={() => void load()} />
          ))}
        </ul>
      )}
    </section>
  );
}
