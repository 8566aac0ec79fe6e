import { notifications } from '@mantine/notifications';

import { errorMessage } from '../api/client';

export function notifySuccess(message: string, title?: string): void {
  notifications.show({ color: 'teal', title: title ?? 'Done', message, withBorder: true });
}

export function notifyError(error: unknown, title = 'Something went wrong'): void {
  notifications.show({ color: 'red', title, message: errorMessage(error), withBorder: true, autoClose: 8000 });
}

export const CONFLICT_MESSAGE =
  'Someone else changed this vendor in the meantime. The latest version has been loaded: review it and try again.';
