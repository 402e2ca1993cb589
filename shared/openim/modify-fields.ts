/**
 * Reply keys OpenIM honours in a beforeMsgModify reply (contract §2). They differ from the request's:
 * `senderFaceURL` (request: `faceURL`) and `atUserIDList` (request: `atUserList`). In OpenIM main
 * `content` must be valid JSON or the send fails with 1001.
 */
export interface MsgModifyChanges {
  content?: string;
  recvID?: string;
  groupID?: string;
  clientMsgID?: string;
  serverMsgID?: string;
  senderPlatformID?: number;
  senderNickname?: string;
  senderFaceURL?: string;
  sessionType?: number;
  msgFrom?: number;
  contentType?: number;
  status?: number;
  options?: Record<string, boolean>;
  atUserIDList?: string[];
  attachedInfo?: string;
  ex?: string;
}

/** beforeOfflinePush: a non-empty list replaces recipients; push info only if the request had it. */
export interface OfflinePushChanges {
  userIDList?: string[];
  offlinePushInfo?: {
    title: string;
    desc: string;
    ex: string;
    iOSPushSound: string;
    iOSBadgeCount: boolean;
    signalInfo: string;
  };
}
