// The command client of a professional's enrolment (workflows/professionalEnrolment.ts). Shared case
// commands (withdraw, requeue, deadlines) are in ./case.ts.
import type { Client } from '@temporalio/client';
import {
  enrolmentStatusQuery,
  instructorDecisionUpdate,
  invoiceIssuedSignal,
  invoicePaidSignal,
  issueCertificateUpdate,
  managerDecisionUpdate,
  markApprovedUpdate,
  type InstructorDecisionInput,
  type IssueCertificateInput,
  type ManagerDecisionInput,
  type MarkApprovedInput,
} from '../../workflows/professionalEnrolment.messages';
import { readQuery, sendSignal, sendUpdate } from './send';

export const managerDecision = (temporal: Client, workflowId: string, input: ManagerDecisionInput) =>
  sendUpdate(temporal, workflowId, managerDecisionUpdate, input);

export const instructorDecision = (temporal: Client, workflowId: string, input: InstructorDecisionInput) =>
  sendUpdate(temporal, workflowId, instructorDecisionUpdate, input);

export const markApproved = (temporal: Client, workflowId: string, input: MarkApprovedInput) => sendUpdate(temporal, workflowId, markApprovedUpdate, input);

export const issueCertificate = (temporal: Client, workflowId: string, input: IssueCertificateInput) =>
  sendUpdate(temporal, workflowId, issueCertificateUpdate, input);

export const invoiceIssued = (temporal: Client, workflowId: string, invoice: { invoiceId: string; dueDate: string }) =>
  sendSignal(temporal, workflowId, invoiceIssuedSignal, invoice);

export const invoicePaid = (temporal: Client, workflowId: string, invoice: { invoiceId: string }) => sendSignal(temporal, workflowId, invoicePaidSignal, invoice);

export const status = (temporal: Client, workflowId: string) => readQuery(temporal, workflowId, enrolmentStatusQuery);
