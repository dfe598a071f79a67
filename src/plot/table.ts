// Tables live with the other display helpers in ui/ (key figures use them too); re-exported here for plot users.
export * from "../ui/table";
