// Sessions and rooms: the leader moves a session (date, time, room) and the admin books a room.
import { stockholmDateString } from '../../../lib/time';
import { pick, type Model, type World } from '../world';
import { refusedBy, Step, type Outcome } from './step';

const DAY = 86_400_000;

/** The leader's session edit: a day ahead (or yesterday: refused), an evening hour, a room. */
export class MoveSession extends Step {
  constructor(readonly session: number, readonly dayOffset: number, readonly startHour: number, readonly room: number) {
    super();
  }
  check = () => true;
  toString = () => `MoveSession(${this.session}, day ${this.dayOffset}, ${this.startHour}:00, room ${this.room})`;
  protected async act(_m: Model, w: World): Promise<Outcome> {
    const s = pick(w.sessions, this.session);
    const date = stockholmDateString(new Date(Date.now() + this.dayOffset * DAY));
    const res = await w.admin.post(`/personal/kurser/${s.courseId}/traffar/${s.id}`, {
      date,
      startTime: `${this.startHour}:00`,
      endTime: `${this.startHour + 2}:00`,
      roomId: pick(w.roomIds, this.room),
    });
    return refusedBy(res, [422]) ? 'refused' : 'done';
  }
}

/** The admin's room booking of a session as it stands. */
export class BookRoom extends Step {
  constructor(readonly session: number, readonly room: number) {
    super();
  }
  check = () => true;
  toString = () => `BookRoom(${this.session}, room ${this.room})`;
  protected async act(_m: Model, w: World): Promise<Outcome> {
    const s = pick(w.sessions, this.session);
    const res = await w.admin.post(`/personal/admin/lokaler/bokningar/${s.id}`, { roomId: pick(w.roomIds, this.room) });
    return refusedBy(res, [422]) ? 'refused' : 'done';
  }
}

