package org.dunwatch.streams.behaviour;

import org.dunwatch.avro.alert.SubjectKind;
import org.dunwatch.streams.content.Recipient;

/**
 * One message body to judge, from either source (a telecom SMS or a lender-reported attempt).
 *
 * @param victim who read it
 * @param subjectKind NUMBER for an SMS sender, LENDER for a lender's attempt
 * @param subject the sender id or lender id
 * @param lenderId the lender where known
 * @param agencyId the agency where known
 * @param loanId the loan where known
 * @param jurisdiction region of the reader's number
 * @param eventId the message or attempt id
 * @param body its text
 * @param reader who the reader is relative to the debt
 * @param collection known to be a collection contact
 */
record ContentMessage(
    String victim,
    SubjectKind subjectKind,
    String subject,
    String lenderId,
    String agencyId,
    String loanId,
    String jurisdiction,
    String eventId,
    String body,
    Recipient reader,
    boolean collection) {}
